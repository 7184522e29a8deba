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
    /** The build under test: the jar this module just packaged, not the one scripts/build installed last. */
    static final Path JAR = Path.of("target/vessel.jar").toAbsolutePath().normalize();

    /** A process running bin/vessel (or anything else) on the build under test. */
    static ProcessBuilder process(String... argv) {
        var pb = new ProcessBuilder(argv);
        pb.environment().put("VESSEL_JAR", JAR.toString());
        return pb;
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static Path base;
    static Process daemon;

    record Run(int code, String out, String err) {}

    static Run vessel(String... args) throws IOException, InterruptedException {
        return vessel(Map.of(), base, null, args);
    }

    /** bin/vessel with extra environment, a working directory and standard input (null: /dev/null). */
    static Run vessel(Map<String, String> env, Path cwd, String stdin, String... args)
            throws IOException, InterruptedException {
        var argv = new ArrayList<String>();
        argv.add(VESSEL.toString());
        argv.addAll(List.of(args));
        var pb = process(argv.toArray(String[]::new)).directory(cwd.toFile());
        pb.environment().put("VESSEL_HOST", "unix://" + base.resolve("run/vessel.sock"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(base, "out", ".txt");
        Path err = Files.createTempFile(base, "err", ".txt");
        Path in = Files.createTempFile(base, "in", ".txt");
        Files.writeString(in, stdin == null ? "" : stdin);
        pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(stdin == null ? new java.io.File("/dev/null") : in.toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vessel " + String.join(" ", args) + " hung");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static Run ok(String... args) throws Exception {
        Run r = vessel(args);
        assertThat(r.code())
                .as("vessel %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err())
                .isZero();
        return r;
    }

    @BeforeAll
    static void startDaemon() throws Exception {
        base = Files.createTempDirectory(Path.of("/tmp"), "ve-");
        // No default network: a daemon in the host's namespace would make a bridge, NAT and dnsmasq there (network
        // tests
        // run their daemon inside a namespace of their own, see NetworkIT).
        daemon = process(
                        VESSEL.toString(),
                        "daemon",
                        "--data-dir",
                        base.resolve("data").toString(),
                        "--run-dir",
                        base.resolve("run").toString(),
                        "--default-network",
                        "none")
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("daemon.log").toFile())
                .start();
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
                new ProcessBuilder("runc", "--root", base.resolve("run/runc").toString(), "delete", "--force", c)
                        .start()
                        .waitFor();
            }
        }
        new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
    }

    @Test
    @Order(1)
    void theReadmeWalkthroughWorks() throws Exception {
        ok("image", "build-tiny");
        assertThat(ok("image", "ls").out()).contains("tiny", "tiny-disk");
        assertThat(ok("vm", "create", "web", "--image", "tiny", "--memory", "256M", "--cpus", "1")
                        .out())
                .contains("web created");
        assertThat(ok("vm", "start", "web", "--wait").out()).contains("web running");
        String ps = ok("ps").out();
        assertThat(ps).contains("NAME", "KIND", "STATE", "MEMORY").containsPattern("web\\s+vm\\s+running");
        String inspect = ok("vm", "inspect", "web").out();
        assertThat(inspect)
                .contains(
                        "State:", "running", "Pid:", "Accel:", "Command:", "qemu-system-x86_64", "Memory:", "QEMU RSS");
        JsonNode json = JSON.readTree(ok("vm", "inspect", "web", "-o", "json").out());
        assertThat(json.path("runtime").path("pid").asLong()).isPositive();
        assertThat(ok("vm", "logs", "web").out()).contains("VESSEL-READY");
        assertThat(ok("vm", "logs", "web", "--tail", "1").out().strip().lines().count())
                .isEqualTo(1);
        JsonNode list = JSON.readTree(ok("ps", "-o", "json").out());
        assertThat(list.isArray()).isTrue();
        assertThat(ok("task", "ls").out()).contains("start", "succeeded", "USER", "root");
        assertThat(ok("vm", "stop", "web").out()).isEqualTo("web stopped\n");
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
        assertThat(vessel("vm", "create", "x", "--image", "tiny", "--memory", "lots")
                        .code())
                .isEqualTo(3);
        assertThat(vessel("vm", "frobnicate").code()).isEqualTo(2);
        var pb = process(VESSEL.toString(), "ps");
        pb.environment().putAll(Map.of("VESSEL_HOST", "unix:///nonexistent/vessel.sock"));
        Process p = pb.redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(6);
        assertThat(text).contains("cannot reach the Vessel daemon");
    }

    @Test
    @Order(3)
    void everyCommandHasHelpAndCompletionWorks() throws Exception {
        for (String[] cmd : new String[][] {
            {"--help"},
            {"vm", "--help"},
            {"vm", "create", "--help"},
            {"vm", "console", "--help"},
            {"ps", "--help"},
            {"image", "import", "--help"},
            {"task", "wait", "--help"},
            {"events", "--help"}
        }) {
            assertThat(ok(cmd).out()).contains("Usage:");
        }
        assertThat(ok("completion").out()).contains("complete -F");
        assertThat(ok("vm", "rm", "web").out()).contains("web");
    }

    /**
     * bin/vessel is the thin client: the daemon runs the call with the client's working directory, environment and
     * streams, and the answer is the one the JVM CLI gives. Calls that need the client's own stdin or terminal run in
     * a JVM (VESSEL_JVM=1 forces that for every call); a client that goes away ends its call in the daemon.
     */
    @Test
    @Order(4)
    void theThinClientRunsCallsInTheDaemonAsTheJvmCliWould() throws Exception {
        double relayedBefore = relayed();
        Path here = Files.createDirectories(base.resolve("cwd"));
        dev.vessel.container.testing.TestImage.rootfsTarball(here.resolve("box.tgz"));
        // a relative path is the client's, not the daemon's
        assertThat(vessel(Map.of(), here, null, "image", "import", "--rootfs", "box.tgz", "e2e/box:1")
                        .code())
                .isZero();

        Run r = vessel(
                Map.of("GREETING", "hi from the client"),
                here,
                null,
                "run",
                "--rm",
                "-e",
                "GREETING",
                "e2e/box:1",
                "sh",
                "-c",
                "echo \"$GREETING\"; echo to-stderr >&2; exit 3");
        assertThat(r.code()).isEqualTo(3);
        // the container's stdout and stderr share its log, as they do for the JVM CLI
        assertThat(r.out()).isEqualTo("hi from the client\nto-stderr\n");
        assertThat(r.err()).isEmpty();
        assertThat(relayed()).as("relayed calls").isGreaterThanOrEqualTo(relayedBefore + 2);

        // the same answers from the JVM CLI
        Map<String, String> jvm = Map.of("VESSEL_JVM", "1");
        assertThat(JSON.readTree(vessel(jvm, here, null, "ps", "-o", "json").out()))
                .isEqualTo(JSON.readTree(ok("ps", "-o", "json").out()));
        Run thin = vessel("inspect", "nope");
        Run fat = vessel(jvm, here, null, "inspect", "nope");
        assertThat(thin.code()).isEqualTo(4).isEqualTo(fat.code());
        assertThat(thin.err()).isEqualTo(fat.err()).contains("not found");
        Run usage = vessel("run", "--no-such-flag", "e2e/box:1");
        assertThat(usage.code())
                .isEqualTo(2)
                .isEqualTo(vessel(jvm, here, null, "run", "--no-such-flag", "e2e/box:1")
                        .code());
        assertThat(usage.err()).contains("Unknown option");

        // a TCP endpoint is the JVM CLI's (it has the token): unreachable here, and said so
        double beforeTcp = relayed();
        Run tcp = vessel(Map.of(), here, null, "-H", "tcp://127.0.0.1:1", "ps");
        assertThat(tcp.code()).isEqualTo(6);
        assertThat(tcp.err()).contains("cannot reach the Vessel daemon");
        assertThat(relayed()).as("a TCP endpoint is not relayed").isEqualTo(beforeTcp);

        // stdin for the container: the client runs it in a JVM of its own
        double before = relayed();
        Run cat = vessel(Map.of(), here, "piped through\n", "run", "--rm", "-i", "e2e/box:1", "cat");
        assertThat(cat.code()).isZero();
        assertThat(cat.out()).isEqualTo("piped through\n");
        assertThat(relayed()).as("run -i is not relayed").isEqualTo(before);

        // clients killed in the middle of a stream leave nothing behind in the daemon
        long fds = openFds();
        var clients = new ArrayList<Process>();
        for (int i = 0; i < 10; i++) {
            var pb = process(VESSEL.toString(), "events", "-f")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true);
            pb.environment().put("VESSEL_HOST", "unix://" + base.resolve("run/vessel.sock"));
            clients.add(pb.start());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (openFds() < fds + 20
                && System.nanoTime() < deadline) { // a relayed call: its connection and the events stream's two ends
            Thread.sleep(50);
        }
        assertThat(openFds()).as("10 event streams open").isGreaterThanOrEqualTo(fds + 20);
        clients.forEach(Process::destroy);
        for (Process c : clients) {
            c.waitFor(10, TimeUnit.SECONDS);
        }
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (openFds() > fds + 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(openFds())
                .as("the daemon's descriptors after the clients left")
                .isLessThanOrEqualTo(fds + 4);
        ok("image", "rm", "e2e/box:1");
    }

    /** How many CLI calls the daemon has run for the thin client, from its /metrics. */
    static double relayed() throws Exception {
        var api = dev.vessel.http.ApiClient.unix(base.resolve("run/vessel.sock"));
        return api.call("GET", "/metrics", null)
                .text()
                .lines()
                .filter(l -> l.startsWith("vessel_api_requests_seconds_count{")
                        && l.contains("route=\"/api/v1/cli\"")
                        && l.contains("status=\"101\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/" + daemon.pid() + "/fd"))) {
            return s.count();
        }
    }
}
