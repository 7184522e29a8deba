package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.GuestShell.bootMarker;
import static dev.vessel.daemon.it.GuestShell.marker;
import static dev.vessel.daemon.it.GuestShell.setMarker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Snapshots of a real tiny-disk guest: a marker written into its disk, snapshots taken while it runs (disk-only and
 * with RAM) and while it is stopped, rollbacks to any node of the tree, removal of a node in the middle.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class SnapshotIT {
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

    static JsonNode snap(String vm, String body) {
        return daemon.task("/api/v1/instances/" + vm + "/snapshots", body);
    }

    static JsonNode tree(String vm) {
        return daemon.get("/api/v1/instances/" + vm + "/snapshots");
    }

    static Map<String, String> parents(String vm) {
        var out = new HashMap<String, String>();
        tree(vm).path("snapshots")
                .forEach(s -> out.put(
                        s.path("name").asText(),
                        s.path("parent").isNull() ? null : s.path("parent").asText()));
        return out;
    }

    static List<String> tags(String vm) {
        String id = daemon.instance(vm).path("id").asText();
        Path disk = daemon.dataDir().resolve("instances").resolve(id).resolve("disks/root.qcow2");
        var out = new ArrayList<String>();
        var r = new ProcessRunner()
                .run(List.of("qemu-img", "info", "-U", "--output", "json", disk.toString()), Duration.ofSeconds(30));
        dev.vessel.host.Json.tree(r.stdout())
                .path("snapshots")
                .forEach(s -> out.add(s.path("name").asText()));
        return out;
    }

    @Test
    void markerGoesBackToEachSnapshotRunningOrStopped() throws Exception {
        GuestShell.createDiskVm(daemon, "snap", "");
        GuestShell.start(daemon, "snap");
        setMarker(daemon, "snap", "one");

        JsonNode s1 = snap("snap", "{\"name\":\"s1\",\"description\":\"before two\"}");
        assertThat(s1.path("state").asText()).as(s1.toString()).isEqualTo("succeeded");
        assertThat(s1.path("message").asText()).contains("disk-only").contains("guest paused");
        JsonNode node = tree("snap").path("snapshots").get(0);
        assertThat(node.path("live").asBoolean()).isTrue();
        assertThat(node.path("pauseMillis").asDouble()).isPositive().isLessThan(1000);
        assertThat(daemon.instance("snap").path("status").asText())
                .as("running again after the pause")
                .isEqualTo("running");

        setMarker(daemon, "snap", "two");
        JsonNode s2 = snap("snap", "{\"name\":\"s2\",\"ram\":true}");
        assertThat(s2.path("state").asText()).as(s2.toString()).isEqualTo("succeeded");
        assertThat(s2.path("message").asText()).contains("with RAM");
        setMarker(daemon, "snap", "three");

        // A name is taken once per VM.
        assertThat(daemon.post("/api/v1/instances/snap/snapshots", "{\"name\":\"s1\"}")
                        .status())
                .isEqualTo(409);
        // A disk-only snapshot does not roll back a running VM (its RAM would not match its disk).
        assertThat(daemon.post("/api/v1/instances/snap/snapshots/s1/rollback", null)
                        .status())
                .isEqualTo(409);

        // With RAM: back to s2 while it runs, the guest continues from that moment.
        daemon.okTask("/api/v1/instances/snap/snapshots/s2/rollback", null);
        assertThat(marker(daemon, "snap")).isEqualTo("two");
        assertThat(daemon.instance("snap").path("status").asText()).isEqualTo("running");

        // Disk-only, stopped: back to s1, boot, the guest finds "one".
        GuestShell.stop(daemon, "snap");
        daemon.okTask("/api/v1/instances/snap/snapshots/s1/rollback", null);
        assertThat(tree("snap").path("current").asText()).isEqualTo("s1");
        GuestShell.start(daemon, "snap");
        assertThat(bootMarker(daemon, "snap")).isEqualTo("one");

        // A stopped VM's snapshot (qemu-img), then back to the RAM one from stopped: it comes back running with "two".
        setMarker(daemon, "snap", "four");
        GuestShell.stop(daemon, "snap");
        JsonNode s3 = snap("snap", "{\"name\":\"s3\"}");
        assertThat(s3.path("state").asText()).as(s3.toString()).isEqualTo("succeeded");
        assertThat(parents("snap")).containsEntry("s3", "s1");
        assertThat(daemon.post("/api/v1/instances/snap/snapshots", "{\"name\":\"s4\",\"ram\":true}")
                        .status())
                .as("no RAM when stopped")
                .isEqualTo(409);
        daemon.okTask("/api/v1/instances/snap/snapshots/s2/rollback", null);
        assertThat(daemon.instance("snap").path("status").asText()).isEqualTo("running");
        assertThat(marker(daemon, "snap")).isEqualTo("two");
        GuestShell.stop(daemon, "snap");
        daemon.okTask("/api/v1/instances/snap/snapshots/s3/rollback", null);
        GuestShell.start(daemon, "snap");
        assertThat(bootMarker(daemon, "snap")).isEqualTo("four");
        GuestShell.stop(daemon, "snap");
        assertThat(tags("snap")).containsExactlyInAnyOrder("s1", "s2", "s3");
    }

    @Test
    void removingANodeReparentsItsChildrenAndKeepsTheirData() throws Exception {
        GuestShell.createDiskVm(daemon, "tree", "");
        GuestShell.start(daemon, "tree");
        for (String m : List.of("a", "b", "c")) {
            setMarker(daemon, "tree", "m" + m);
            assertThat(snap("tree", "{\"name\":\"" + m + "\"}").path("state").asText())
                    .isEqualTo("succeeded");
        }
        assertThat(parents("tree"))
                .containsEntry("a", null)
                .containsEntry("b", "a")
                .containsEntry("c", "b");
        // Removing the middle node while the VM runs merges it away; c now descends from a.
        GuestShell.deleteTask(daemon, "/api/v1/instances/tree/snapshots/b");
        assertThat(parents("tree")).containsOnlyKeys("a", "c").containsEntry("c", "a");
        assertThat(tags("tree")).containsExactlyInAnyOrder("a", "c");
        GuestShell.stop(daemon, "tree");
        daemon.okTask("/api/v1/instances/tree/snapshots/c/rollback", null);
        GuestShell.start(daemon, "tree");
        assertThat(bootMarker(daemon, "tree")).isEqualTo("mc");
        GuestShell.stop(daemon, "tree");
        daemon.okTask("/api/v1/instances/tree/snapshots/a/rollback", null);
        // A snapshot taken now hangs under a, beside c: a branch.
        assertThat(snap("tree", "{\"name\":\"d\"}").path("state").asText()).isEqualTo("succeeded");
        assertThat(parents("tree")).containsEntry("d", "a").containsEntry("c", "a");
        // Removing the current node moves "current" to its parent.
        GuestShell.deleteTask(daemon, "/api/v1/instances/tree/snapshots/d");
        assertThat(tree("tree").path("current").asText()).isEqualTo("a");
        GuestShell.start(daemon, "tree");
        assertThat(bootMarker(daemon, "tree")).isEqualTo("ma");
        GuestShell.stop(daemon, "tree");
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/tree", null)
                        .status())
                .isEqualTo(204);
    }

    @Test
    void badSnapshotRequestsAreRefused() {
        GuestShell.createDiskVm(daemon, "badsnap", "");
        assertThat(daemon.post("/api/v1/instances/badsnap/snapshots", "{\"name\":\"Bad Name\"}")
                        .status())
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/instances/badsnap/snapshots", "{\"name\":\"x\",\"bogus\":1}")
                        .status())
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/instances/nosuch/snapshots", "{}").status())
                .isEqualTo(404);
        assertThat(daemon.post("/api/v1/instances/badsnap/snapshots/nosuch/rollback", null)
                        .status())
                .isEqualTo(404);
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/badsnap/snapshots/nosuch", null)
                        .status())
                .isEqualTo(404);
        // A VM without a writable qcow2 disk has nothing to snapshot.
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"nodisk\",\"image\":\"tiny\",\"memory\":\"128M\"}")
                        .status())
                .isEqualTo(201);
        assertThat(daemon.post("/api/v1/instances/nodisk/snapshots", "{}").status())
                .isEqualTo(409);
    }
}
