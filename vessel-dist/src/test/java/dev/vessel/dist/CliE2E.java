package dev.vessel.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Drives bin/vessel exactly as the README shows, against a daemon started by bin/vessel daemon. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliE2E {
    static final Path VESSEL = Path.of("../bin/vessel").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static Path base;
    static Process daemon;

    record Run(int code, String out, String err) {}

    static Run vessel(String... args) throws IOException, InterruptedException {
        var argv = new ArrayList<String>();
        argv.add(VESSEL.toString());
        argv.addAll(List.of(args));
        var pb = new ProcessBuilder(argv);
        pb.environment().put("VESSEL_HOST", "unix://" + base.resolve("run/vessel.sock"));
        Path out = Files.createTempFile(base, "out", ".txt");
        Path err = Files.createTempFile(base, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vessel " + String.join(" ", args) + " hung");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static Run ok(String... args) throws Exception {
        Run r = vessel(args);
        assertThat(r.code()).as("vessel %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
        return r;
    }

    @BeforeAll
    static void startDaemon() throws Exception {
        base = Files.createTempDirectory(Path.of("/tmp"), "ve-");
        // No default network: a daemon in the host's namespace would make a bridge, NAT and dnsmasq there (network tests
        // run their daemon inside a namespace of their own, see NetworkIT).
        daemon = new ProcessBuilder(VESSEL.toString(), "daemon", "--data-dir", base.resolve("data").toString(), "--run-dir", base.resolve("run").toString(),
                        "--default-network", "none")
                .redirectErrorStream(true).redirectOutput(base.resolve("daemon.log").toFile()).start();
        for (int i = 0; i < 150; i++) {
            if (vessel("version").code() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("daemon did not come up: " + Files.readString(base.resolve("daemon.log")));
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        vessel("vm", "rm", "-f", "web");
        daemon.destroy();
        daemon.waitFor(15, TimeUnit.SECONDS);
        var runc = new ProcessBuilder("runc", "--root", base.resolve("run/runc").toString(), "list", "-q").start();
        for (String c : new String(runc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!c.isBlank()) {
                new ProcessBuilder("runc", "--root", base.resolve("run/runc").toString(), "delete", "--force", c).start().waitFor();
            }
        }
        new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
    }

    @Test
    @Order(1)
    void theReadmeWalkthroughWorks() throws Exception {
        ok("image", "build-tiny");
        assertThat(ok("image", "ls").out()).contains("tiny", "tiny-disk");
        assertThat(ok("vm", "create", "web", "--image", "tiny", "--memory", "256M", "--cpus", "1").out()).contains("web created");
        assertThat(ok("vm", "start", "web", "--wait").out()).contains("web running");
        String ps = ok("ps").out();
        assertThat(ps).contains("NAME", "KIND", "STATE", "MEMORY").containsPattern("web\\s+vm\\s+running");
        String inspect = ok("vm", "inspect", "web").out();
        assertThat(inspect).contains("State:", "running", "Pid:", "Accel:", "Command:", "qemu-system-x86_64", "Memory:", "QEMU RSS");
        JsonNode json = JSON.readTree(ok("vm", "inspect", "web", "-o", "json").out());
        assertThat(json.path("runtime").path("pid").asLong()).isPositive();
        assertThat(ok("vm", "logs", "web").out()).contains("VESSEL-READY");
        assertThat(ok("vm", "logs", "web", "--tail", "1").out().strip().lines().count()).isEqualTo(1);
        JsonNode list = JSON.readTree(ok("ps", "-o", "json").out());
        assertThat(list.isArray()).isTrue();
        assertThat(ok("task", "ls").out()).contains("start", "succeeded");
        assertThat(ok("vm", "stop", "web").out()).contains("web stopped (stopped)");
        assertThat(ok("events").out()).contains("stopped vm web");
    }

    @Test
    @Order(2)
    void exitCodesTellWhatWentWrong() throws Exception {
        assertThat(vessel("vm", "inspect", "nope").code()).isEqualTo(4);
        Run bad = vessel("vm", "create", "Bad_Name", "--image", "tiny");
        assertThat(bad.code()).isEqualTo(3);
        assertThat(bad.err()).contains("not a valid name");
        assertThat(vessel("vm", "create", "web", "--image", "tiny").code()).isEqualTo(5);
        assertThat(vessel("vm", "stop", "web").code()).isEqualTo(5);
        assertThat(vessel("vm", "create", "x", "--image", "tiny", "--memory", "lots").code()).isEqualTo(3);
        assertThat(vessel("vm", "frobnicate").code()).isEqualTo(2);
        var pb = new ProcessBuilder(VESSEL.toString(), "ps");
        pb.environment().putAll(Map.of("VESSEL_HOST", "unix:///nonexistent/vessel.sock"));
        Process p = pb.redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(6);
        assertThat(text).contains("cannot reach the Vessel daemon");
    }

    @Test
    @Order(3)
    void everyCommandHasHelpAndCompletionWorks() throws Exception {
        for (String[] cmd : new String[][] {{"--help"}, {"vm", "--help"}, {"vm", "create", "--help"}, {"vm", "console", "--help"}, {"ps", "--help"},
            {"image", "import", "--help"}, {"task", "wait", "--help"}, {"events", "--help"}}) {
            assertThat(ok(cmd).out()).contains("Usage:");
        }
        assertThat(ok("completion").out()).contains("complete -F");
        assertThat(ok("vm", "rm", "web").out()).contains("web");
    }
}
