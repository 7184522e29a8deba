package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.ContainerSupport.create;
import static dev.vessel.daemon.it.ContainerSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.host.AtomicFiles;
import dev.vessel.oci.Cgroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Removing containers leaves nothing: no runc state, cgroup, overlay mount, process or file — after every way a
 * container can end, after a daemon SIGKILL, and with the copied writable layer.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class ContainerLeakIT {
    DaemonProcess daemon;
    Path work;
    final List<String> ids = new ArrayList<>();
    final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        AtomicFiles.deleteTree(work);
    }

    String daemonWithImage(String... extraArgs) throws Exception {
        daemon = new DaemonProcess(extraArgs).start();
        work = Files.createTempDirectory(Path.of("/tmp"), "vcl-");
        return ContainerSupport.load(daemon, work, "test/busybox:1", t -> t.set("User", "0"));
    }

    void made(String name, String image, String extra) {
        ids.add(create(daemon, "{\"name\":\"" + name + "\",\"image\":\"" + image + "\"" + extra + "}")
                .path("id")
                .asText());
    }

    void running(String name) {
        start(daemon, name);
        pids.add(daemon.instance(name).path("runtime").path("pid").asLong());
    }

    @Test
    void everyWayAContainerEndsLeavesTheHostAsItWasOnceRemoved() throws Exception {
        String image = daemonWithImage();
        made("exits", image, ",\"command\":[\"true\"]");
        made("killed", image, ",\"command\":[\"sleep\",\"60\"]");
        made("stopped", image, ",\"command\":[\"sleep\",\"60\"],\"tty\":true,\"interactive\":true");
        made(
                "forced",
                image,
                ",\"command\":[\"sleep\",\"60\"],\"volumes\":[\"v1:/v\"],\"tmpfs\":[\"/t\"],\"network\":\"none\"");
        made("oom", image, ",\"memory\":\"8M\",\"command\":[\"sh\",\"-c\",\"x=0123456789; while :; do x=$x$x; done\"]");
        for (String n : List.of("exits", "killed", "stopped", "forced", "oom")) {
            running(n);
        }
        ContainerSupport.awaitStatus(daemon, "exits", "stopped", Duration.ofSeconds(30));
        ContainerSupport.awaitStatus(daemon, "oom", "stopped", Duration.ofSeconds(30));
        daemon.okTask("/api/v1/instances/killed/kill", null);
        daemon.okTask("/api/v1/instances/stopped/stop?timeout=2", null);
        for (String n : List.of("exits", "killed", "stopped", "oom")) {
            assertThat(daemon.client()
                            .call("DELETE", "/api/v1/instances/" + n, null)
                            .status())
                    .isEqualTo(204);
        }
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/forced?force=true", null)
                        .status())
                .isEqualTo(204);
        assertClean();
    }

    @Test
    void removalAfterADaemonKillLeavesNothingEither() throws Exception {
        String image = daemonWithImage();
        made("survivor", image, ",\"command\":[\"sleep\",\"60\"]");
        made("ender", image, ",\"command\":[\"sh\",\"-c\",\"sleep 1\"]");
        running("survivor");
        running("ender");
        daemon.kill9();
        Thread.sleep(1500);
        daemon.start();
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/survivor?force=true", null)
                        .status())
                .isEqualTo(204);
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/ender", null)
                        .status())
                .isEqualTo(204);
        assertClean();
    }

    @Test
    void whereOverlayIsNotWantedTheWritableLayerIsACopyAndTheImageStillNeverChanges() throws Exception {
        String image = daemonWithImage("--container-rootfs", "copy");
        made("copied", image, ",\"command\":[\"sh\",\"-c\",\"echo mine > /etc/motd; cat /etc/motd\"]");
        running("copied");
        ContainerSupport.awaitStatus(daemon, "copied", "stopped", Duration.ofSeconds(30));
        assertThat(daemon.instance("copied").path("spec").path("rootfs").asText())
                .isEqualTo("copy");
        assertThat(ContainerSupport.logs(daemon, "copied")).isEqualTo("mine\n");
        assertThat(daemon.dataDir().resolve("instances/" + ids.getFirst() + "/rootfs/etc/motd"))
                .hasContent("mine");
        try (Stream<Path> layers = Files.walk(daemon.dataDir().resolve("oci/layers"))) {
            assertThat(layers.filter(p -> p.endsWith("etc/motd")).toList()).isEmpty();
        }
        assertThat(ContainerSupport.overlayMountsUnder(daemon.dataDir())).isEmpty();
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/copied", null)
                        .status())
                .isEqualTo(204);
        assertClean();
    }

    void assertClean() throws Exception {
        assertThat(daemon.containers()).as("runc containers").isEmpty();
        assertThat(ContainerSupport.overlayMountsUnder(daemon.dataDir()))
                .as("overlay mounts in /proc/self/mountinfo")
                .isEmpty();
        assertThat(daemon.get("/api/v1/instances").size()).isZero();
        try (Stream<Path> s = Files.list(daemon.dataDir().resolve("instances"))) {
            assertThat(s.toList()).as("state dirs").isEmpty();
        }
        try (Stream<Path> s = Files.list(daemon.runDir().resolve("ctr"))) {
            assertThat(s.toList()).as("run dirs").isEmpty();
        }
        for (String id : ids) {
            assertThat(Cgroups.host().exists("/vessel/vessel-" + id))
                    .as("cgroup of " + id)
                    .isFalse();
        }
        for (long pid : pids) {
            for (int i = 0; i < 50 && Files.exists(Path.of("/proc/" + pid)); i++) {
                Thread.sleep(100);
            }
            assertThat(Path.of("/proc/" + pid)).as("process " + pid).doesNotExist();
        }
    }
}
