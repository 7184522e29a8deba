package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.http.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** A real tiny guest under real runc and QEMU, driven through the daemon's API. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class VmLifecycleIT {
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess().start();
        TinyImageSupport.ensure(daemon);
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    static void create(String name, String extra) {
        var r = daemon.post(
                "/api/v1/vms",
                "{\"name\":\"" + name + "\",\"image\":\"tiny\",\"memory\":\"256M\",\"cpus\":1" + extra + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    @Test
    void theTinyGuestBootsInsideItsOwnContainerAndIsVisibleAsAVm() throws Exception {
        create("life", "");
        JsonNode created = daemon.instance("life");
        assertThat(created.path("status").asText()).isEqualTo("created");

        daemon.okTask("/api/v1/instances/life/start?wait=true", null);
        JsonNode vm = daemon.instance("life");
        assertThat(vm.path("status").asText()).isEqualTo("running");
        JsonNode rt = vm.path("runtime");
        long pid = rt.path("pid").asLong();
        assertThat(pid).isPositive();
        assertThat(Files.readString(Path.of("/proc/" + pid + "/comm")).strip()).startsWith("qemu-system");
        assertThat(rt.path("accel").asText()).isIn("kvm", "tcg");
        assertThat(rt.path("accelReason").asText()).isNotBlank();
        assertThat(rt.path("containerId").asText())
                .isEqualTo("vessel-" + vm.path("id").asText());
        var argv = new ArrayList<String>();
        rt.path("command").forEach(a -> argv.add(a.asText()));
        assertThat(argv).contains("-S", "-sandbox", "-nodefaults");
        assertThat(daemon.containers()).contains("vessel-" + vm.path("id").asText());

        // Memory three ways: guest RAM, QEMU's RSS and the cgroup, which holds RSS and has the computed limit.
        JsonNode mem = vm.path("memory");
        assertThat(mem.path("configured").asLong()).isEqualTo(256L << 20);
        assertThat(mem.path("processRss").asLong()).isPositive();
        assertThat(mem.path("cgroupUsage").asLong())
                .isGreaterThanOrEqualTo(mem.path("processRss").asLong() / 2);
        assertThat(mem.path("cgroupLimit").asLong())
                .isEqualTo(rt.path("memoryLimitBytes").asLong())
                .isGreaterThan(256L << 20);
        // The container cannot see the host's root: its root is read-only and holds only /usr and its own dirs.
        assertThat(Files.readString(Path.of("/proc/" + pid + "/status"))).contains("CapEff:\t0000000000000000");
        assertThat(Files.readString(Path.of("/proc/" + pid + "/status"))).contains("Seccomp:\t2");
        // QEMU runs as the VM's own uid, not root, and inspect says so from the same /proc status.
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        var uidLine =
                status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        int uid = Integer.parseInt(uidLine.split("\\s+")[1]);
        assertThat(uid).isGreaterThanOrEqualTo(dev.vessel.qemu.VmUids.FIRST);
        assertThat(status).contains("NoNewPrivs:\t1");
        JsonNode conf = vm.path("confinement");
        assertThat(conf.path("uid").asInt()).isEqualTo(uid);
        assertThat(conf.path("capEff").asText()).isEqualTo("0000000000000000");
        assertThat(conf.path("seccomp").asText()).isEqualTo("filter");
        assertThat(conf.path("noNewPrivs").asBoolean()).isTrue();
        // its disks are its uid's; another VM's uid could not open them
        assertThat(dev.vessel.qemu.QemuFiles.uid(daemon.dataDir()
                        .resolve("instances")
                        .resolve(vm.path("id").asText())
                        .resolve("disks")))
                .isEqualTo(uid);

        var logs = new String(
                daemon.client().stream("GET", "/api/v1/instances/life/logs")
                        .body()
                        .readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(logs).contains("VESSEL-READY");

        var stop = daemon.okTask("/api/v1/instances/life/stop", null);
        assertThat(stop.path("state").asText()).isEqualTo("succeeded");
        JsonNode stopped = daemon.instance("life");
        assertThat(stopped.path("status").asText()).isEqualTo("stopped");
        assertThat(stopped.path("state").path("reason").asText())
                .as("went down by ACPI")
                .isEqualTo("stopped");
        assertThat(processGone(pid)).as("QEMU exited").isTrue();
        assertThat(daemon.containers()).doesNotContain("vessel-" + vm.path("id").asText());

        var events = daemon.get("/api/v1/events?since=0");
        var types = new ArrayList<String>();
        events.forEach(e -> {
            if ("life".equals(e.path("name").asText())) {
                types.add(e.path("type").asText());
            }
        });
        assertThat(types).containsSubsequence("starting", "started", "stopping", "stopped");
    }

    @Test
    void theConsoleIsLiveAndAGuestPoweroffIsReportedAsSuch() throws Exception {
        create("cons", "");
        daemon.okTask("/api/v1/instances/cons/start?wait=true", null);
        var up = (ApiClient.Upgraded) daemon.client().upgrade("/api/v1/instances/cons/console", "vessel-console");
        try (up) {
            up.out().write("\necho marker-$((40+2))\n".getBytes(StandardCharsets.UTF_8));
            up.out().flush();
            assertThat(readUntil(up, "marker-42")).contains("marker-42");
            up.out().write("poweroff -f\n".getBytes(StandardCharsets.UTF_8));
            up.out().flush();
            // QEMU drops console input it has not read yet when the client hangs up; let the guest read the line.
            assertThat(readUntil(up, "Power down")).contains("Power down");
        }
        JsonNode vm = awaitStatus("cons", "stopped");
        assertThat(vm.path("state").path("reason").asText()).isEqualTo("guest-shutdown");
    }

    @Test
    void killEndsTheVmAtOnceAndRemoveLeavesNothing() throws Exception {
        create("gone", "");
        daemon.okTask("/api/v1/instances/gone/start", null);
        String id = daemon.instance("gone").path("id").asText();
        daemon.okTask("/api/v1/instances/gone/kill", null);
        assertThat(daemon.instance("gone").path("state").path("reason").asText())
                .isEqualTo("killed");
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/gone", null)
                        .status())
                .isEqualTo(204);
        assertThat(daemon.client().call("GET", "/api/v1/instances/gone", null).status())
                .isEqualTo(404);
        assertThat(daemon.dataDir().resolve("instances").resolve(id)).doesNotExist();
        assertThat(daemon.runDir().resolve("vm").resolve(id)).doesNotExist();
    }

    @Test
    void aStartThatFailsHalfWayLeavesTheVmStoppedWithTheReasonAndNoContainer() throws Exception {
        var r = daemon.post("/api/v1/vms", "{\"name\":\"broken\",\"image\":\"tiny-disk\",\"memory\":\"128M\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        String id = daemon.instance("broken").path("id").asText();
        // The disk vanishes behind the daemon's back: the container starts, QEMU cannot open the disk and exits.
        Files.delete(daemon.dataDir()
                .resolve("instances")
                .resolve(id)
                .resolve("disks")
                .resolve("root.qcow2"));
        JsonNode t = daemon.task("/api/v1/instances/broken/start", null);
        assertThat(t.path("state").asText()).isEqualTo("failed");
        assertThat(t.path("error").path("detail").asText()).contains("root.qcow2");
        JsonNode vm = daemon.instance("broken");
        assertThat(vm.path("status").asText()).isEqualTo("stopped");
        assertThat(vm.path("state").path("reason").asText()).isEqualTo("start-failed");
        assertThat(daemon.containers()).noneMatch(c -> c.endsWith(id));
        assertThat(daemon.runDir().resolve("vm").resolve(id).resolve("qmp.sock"))
                .doesNotExist();
    }

    /** Gone, or a zombie waiting for the host's init to reap it. */
    static boolean processGone(long pid) throws Exception {
        for (int i = 0; i < 50; i++) {
            Path status = Path.of("/proc/" + pid + "/status");
            if (!Files.exists(status)) {
                return true;
            }
            try {
                if (Files.readString(status).contains("State:\tZ")) {
                    return true;
                }
            } catch (java.io.IOException e) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    static String readUntil(ApiClient.Upgraded up, String needle) throws IOException {
        var sb = new StringBuilder();
        byte[] b = new byte[4096];
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && !sb.toString().contains(needle)) {
            int n = up.in().read(b);
            if (n < 0) {
                break;
            }
            sb.append(new String(b, 0, n, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    static JsonNode awaitStatus(String name, String status) throws InterruptedException {
        JsonNode vm = null;
        for (int i = 0; i < 300; i++) {
            vm = daemon.instance(name);
            if (vm.path("status").asText().equals(status)) {
                return vm;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never became " + status + ": " + vm);
    }
}
