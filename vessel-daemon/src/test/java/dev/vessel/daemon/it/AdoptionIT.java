package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** VMs outlive the daemon: SIGKILL it, restart it, and it takes them back. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class AdoptionIT {
    DaemonProcess daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new DaemonProcess().start();
        TinyImageSupport.ensure(daemon);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    void runVm(String name) {
        var r = daemon.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"image\":\"tiny\",\"memory\":\"128M\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        daemon.okTask("/api/v1/instances/" + name + "/start?wait=true", null);
    }

    /** Exited at this instant, without waiting: no /proc entry, or a zombie. */
    static boolean exitedNow(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void vmsKeepRunningThroughADaemonKillAndAreAdoptedAndControllableAfterwards() throws Exception {
        runVm("a1");
        runVm("a2");
        long pid1 = daemon.instance("a1").path("runtime").path("pid").asLong();
        long pid2 = daemon.instance("a2").path("runtime").path("pid").asLong();

        daemon.kill9();
        Thread.sleep(500);
        assertThat(Path.of("/proc/" + pid1))
                .as("QEMU of a1 survives the daemon")
                .exists();
        assertThat(Path.of("/proc/" + pid2)).exists();
        // a2 dies while nobody watches.
        new ProcessBuilder("kill", "-9", Long.toString(pid2)).start().waitFor();

        daemon.start();
        JsonNode a1 = daemon.instance("a1");
        assertThat(a1.path("status").asText()).isEqualTo("running");
        assertThat(a1.path("runtime").path("pid").asLong()).isEqualTo(pid1);
        assertThat(a1.path("memory").path("processRss").asLong()).isPositive();
        JsonNode a2 = daemon.instance("a2");
        assertThat(a2.path("status").asText()).isEqualTo("stopped");
        assertThat(a2.path("state").path("reason").asText()).isEqualTo("died-while-daemon-down");
        assertThat(daemon.containers())
                .containsExactly("vessel-" + a1.path("id").asText());

        var adopted = daemon.get("/api/v1/events?since=0");
        assertThat(adopted.findValuesAsText("type")).contains("adopted");

        // Still controllable over QMP: an ACPI stop works, and stopped means stopped the moment the task ends: QEMU has
        // exited (gone, or a zombie its reaper has not collected yet), its container and its cgroup are gone.
        daemon.okTask("/api/v1/instances/a1/stop", null);
        assertThat(daemon.instance("a1").path("state").path("reason").asText()).isEqualTo("stopped");
        assertThat(exitedNow(pid1)).as("QEMU has exited when the stop ends").isTrue();
        assertThat(daemon.containers()).isEmpty();
        assertThat(Path.of(
                        "/sys/fs/cgroup/memory/vessel/vessel-" + a1.path("id").asText()))
                .doesNotExist();
        assertThat(VmLifecycleIT.processGone(pid1)).isTrue();
    }
}
