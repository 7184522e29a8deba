package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The daemon is SIGKILLed in the middle of backups, snapshots, restores and clones. After a restart, the previous
 * volume and snapshots are intact, no half-made VM, archive or temporary file is left, and QEMU has no stray job.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class StorageCrashIT {
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

    static String post(String path, String body) {
        var r = daemon.post(path, body);
        if (r.status() != 202) {
            throw new AssertionError("POST " + path + " -> " + r.status() + " " + r.text());
        }
        return Json.tree(r.text()).path("id").asText();
    }

    /** Waits until the task's progress and message say it is in the phase wanted, then SIGKILLs the daemon. */
    static void killWhen(String taskId, Predicate<JsonNode> phase) throws Exception {
        daemon.killWhen(taskId, phase);
    }

    static Path stateDir(String vm) {
        return daemon.dataDir()
                .resolve("instances")
                .resolve(daemon.instance(vm).path("id").asText());
    }

    static Set<String> tags(String vm) {
        var r = new ProcessRunner()
                .run(
                        List.of(
                                "qemu-img",
                                "info",
                                "-U",
                                "--output",
                                "json",
                                stateDir(vm).resolve("disks/root.qcow2").toString()),
                        Duration.ofSeconds(30));
        var out = new HashSet<String>();
        Json.tree(r.stdout())
                .path("snapshots")
                .forEach(s -> out.add(s.path("name").asText()));
        return out;
    }

    static Set<String> treeNames(String vm) {
        var out = new HashSet<String>();
        daemon.get("/api/v1/instances/" + vm + "/snapshots")
                .path("snapshots")
                .forEach(s -> out.add(s.path("name").asText()));
        return out;
    }

    static List<Path> leftovers() throws Exception {
        try (Stream<Path> all = Files.walk(daemon.dataDir())) {
            return all.filter(p -> {
                        String f = p.getFileName().toString();
                        return f.endsWith(".partial") || f.equals("backup-tmp");
                    })
                    .toList();
        }
    }

    static void assertSettled() throws Exception {
        assertThat(leftovers()).as("temporary files after recovery").isEmpty();
        JsonNode events = daemon.get("/api/v1/events?since=0");
        var types = new ArrayList<String>();
        events.forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).contains("storage-recovered");
    }

    @Test
    void killedInTheMiddleEverythingIsAsBeforeAfterARestart() throws Exception {
        GuestShell.createDiskVm(daemon, "crashy", "");
        GuestShell.start(daemon, "crashy");
        GuestShell.setMarker(daemon, "crashy", "kept");
        // Enough data that a backup, a restore and a full clone each take a while.
        GuestShell.run(
                daemon,
                "crashy",
                "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do wget -qO- 'http://127.0.0.1/cgi-bin/write?n=16384' >/dev/null; done",
                Duration.ofMinutes(5));
        assertThat(daemon.okTask("/api/v1/instances/crashy/snapshots", "{\"name\":\"keep\"}")
                        .path("state")
                        .asText())
                .isEqualTo("succeeded");

        // 1. A live backup, killed while QEMU copies, then while the archive is compressed.
        for (String phase : List.of("as of now", "compressing")) {
            String t = post("/api/v1/instances/crashy/backup", "{}");
            killWhen(t, j -> j.path("message").asText("").contains(phase));
            assertSettled();
            assertThat(daemon.get("/api/v1/backups"))
                    .as("no archive from a killed backup")
                    .isEmpty();
            assertThat(daemon.get("/api/v1/tasks/" + t).path("state").asText()).isEqualTo("failed");
            assertThat(daemon.instance("crashy").path("status").asText()).isEqualTo("running");
            assertThat(treeNames("crashy")).containsExactly("keep");
            assertThat(tags("crashy")).containsExactly("keep");
        }
        // QEMU let go of every target and job: the next backup works.
        daemon.okTask("/api/v1/instances/crashy/backup", "{}");
        String archive = daemon.get("/api/v1/backups").get(0).path("archive").asText();

        // 2. Snapshots with RAM killed at different moments: the disk's tags always match the tree, and the guest runs.
        int n = 0;
        for (long delay : List.of(0L, 60L, 150L, 300L)) {
            String name = "r" + n++;
            post("/api/v1/instances/crashy/snapshots", "{\"name\":\"" + name + "\",\"ram\":true}");
            Thread.sleep(delay);
            daemon.kill9();
            daemon.start();
            assertSettled();
            assertThat(tags("crashy")).as("after a kill " + delay + " ms in").isEqualTo(treeNames("crashy"));
            assertThat(treeNames("crashy")).contains("keep");
            assertThat(daemon.instance("crashy").path("status").asText()).isEqualTo("running");
            assertThat(GuestShell.marker(daemon, "crashy")).isEqualTo("kept");
        }

        // 3. A restore killed half-way leaves no VM and no directory; the next one works.
        int before = daemon.get("/api/v1/instances").size();
        String r = post("/api/v1/backups/restore", "{\"archive\":\"" + archive + "\",\"name\":\"phoenix\"}");
        killWhen(r, j -> j.path("progress").asDouble() > 0.1);
        assertSettled();
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/phoenix", null)
                        .status())
                .isEqualTo(404);
        assertThat(daemon.get("/api/v1/instances").size()).isEqualTo(before);
        try (var dirs = Files.list(daemon.dataDir().resolve("instances"))) {
            assertThat(dirs.count()).isEqualTo(before);
        }
        daemon.okTask("/api/v1/backups/restore", "{\"archive\":\"" + archive + "\",\"name\":\"phoenix\"}");
        GuestShell.start(daemon, "phoenix");
        assertThat(GuestShell.bootMarker(daemon, "phoenix")).isEqualTo("kept");
        GuestShell.stop(daemon, "phoenix");

        // 4. A full clone killed while it copies leaves nothing either.
        GuestShell.stop(daemon, "crashy");
        int count = daemon.get("/api/v1/instances").size();
        String c = post("/api/v1/instances/crashy/clone", "{\"name\":\"twin\",\"mode\":\"full\"}");
        killWhen(c, j -> j.path("message").asText("").contains("copying"));
        assertSettled();
        assertThat(daemon.client().call("GET", "/api/v1/instances/twin", null).status())
                .isEqualTo(404);
        try (var dirs = Files.list(daemon.dataDir().resolve("instances"))) {
            assertThat(dirs.count()).isEqualTo(count);
        }
        // The source is untouched: its snapshot is there and it boots with its marker.
        assertThat(tags("crashy")).contains("keep");
        GuestShell.start(daemon, "crashy");
        assertThat(GuestShell.bootMarker(daemon, "crashy")).isEqualTo("kept");
        GuestShell.stop(daemon, "crashy");
    }
}
