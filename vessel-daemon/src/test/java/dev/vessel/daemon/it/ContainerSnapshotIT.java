package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.ContainerSupport.create;
import static dev.vessel.daemon.it.ContainerSupport.exec;
import static dev.vessel.daemon.it.ContainerSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Snapshots of a container's writable layer under real runc and overlayfs: taken running (frozen) and stopped, rolled
 * back with files, deletions (whiteouts) and replaced directories (opaque dirs) as they were, removed from the tree,
 * refused when they make no sense, and settled after a daemon SIGKILL in the middle.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class ContainerSnapshotIT {
    static DaemonProcess daemon;
    static Path work;
    static String image;

    @BeforeAll
    static void daemonWithAnImage() throws Exception {
        daemon = new DaemonProcess().start();
        work = Files.createTempDirectory(Path.of("/tmp"), "vcsnap-");
        image = ContainerSupport.load(
                daemon,
                work,
                "test/snap:1",
                t -> t.layer(Map.of("data/a", "from the image a\n", "data/b", "from the image b\n"))
                        .set("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"))
                        .set("Cmd", List.of("sleep", "100000")));
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        AtomicFiles.deleteTree(work);
    }

    static String sh(String name, String script) throws Exception {
        var r = exec(daemon, name, false, null, "sh", "-c", script);
        assertThat(r.exitCode())
                .as("exec in %s: %s -> %s", name, script, r.stderr())
                .isZero();
        return r.stdout();
    }

    static JsonNode tree(String name) {
        return daemon.get("/api/v1/instances/" + name + "/snapshots");
    }

    static Map<String, JsonNode> nodes(String name) {
        var out = new HashMap<String, JsonNode>();
        tree(name).path("snapshots").forEach(s -> out.put(s.path("name").asText(), s));
        return out;
    }

    static Path stateDir(String name) {
        return daemon.dataDir()
                .resolve("instances")
                .resolve(daemon.instance(name).path("id").asText());
    }

    static int status(String method, String path, String body) {
        return daemon.client()
                .call(method, path, body == null ? null : body.getBytes())
                .status();
    }

    @Test
    void snapshotsKeepFilesDeletionsAndReplacedDirsAndRollBackToAnyNode() throws Exception {
        create(daemon, "{\"name\":\"snappy\",\"image\":\"" + image + "\"}");
        start(daemon, "snappy");
        sh("snappy", "echo one > /marker && rm /data/a");

        JsonNode t1 =
                daemon.okTask("/api/v1/instances/snappy/snapshots", "{\"name\":\"s1\",\"description\":\"first\"}");
        assertThat(t1.path("message").asText()).contains("frozen");
        assertThat(daemon.instance("snappy").path("status").asText())
                .as("thawed after the copy")
                .isEqualTo("running");
        assertThat(sh("snappy", "echo alive")).isEqualTo("alive\n");

        // /data is replaced by a new dir: overlayfs marks it opaque in the upper dir (an xattr the copy must keep)
        sh("snappy", "echo two > /marker && rm -rf /data && mkdir /data && echo new > /data/n");
        daemon.okTask("/api/v1/instances/snappy/snapshots", "{\"name\":\"s2\"}");
        sh("snappy", "rm /marker");

        var n = nodes("snappy");
        assertThat(n).containsOnlyKeys("s1", "s2");
        assertThat(n.get("s1").path("live").asBoolean()).isTrue();
        assertThat(n.get("s1").path("pauseMillis").asDouble()).isPositive();
        assertThat(n.get("s1").path("sizeBytes").asLong()).isPositive();
        assertThat(n.get("s1").path("description").asText()).isEqualTo("first");
        assertThat(n.get("s2").path("parent").asText()).isEqualTo("s1");
        assertThat(tree("snappy").path("current").asText()).isEqualTo("s2");
        assertThat(tree("snappy").path("kind").asText()).isEqualTo("container");
        Path copy = stateDir("snappy").resolve("snapshots/s1/data/a");
        assertThat(new ProcessRunner()
                        .run(List.of("stat", "-c", "%F %t:%T", copy.toString()), Duration.ofSeconds(5))
                        .stdout())
                .as("the whiteout of /data/a in the copy")
                .contains("character special file 0:0");

        assertThat(daemon.post("/api/v1/instances/snappy/snapshots/s1/rollback", null)
                        .status())
                .as("running: refused")
                .isEqualTo(409);
        daemon.okTask("/api/v1/instances/snappy/stop?timeout=1", null);
        daemon.okTask("/api/v1/instances/snappy/snapshots/s1/rollback", null);
        start(daemon, "snappy");
        assertThat(sh("snappy", "cat /marker; ls /data")).isEqualTo("one\nb\n");

        daemon.okTask("/api/v1/instances/snappy/stop?timeout=1", null);
        daemon.okTask("/api/v1/instances/snappy/snapshots/s2/rollback", null);
        start(daemon, "snappy");
        assertThat(sh("snappy", "cat /marker; ls /data"))
                .as("the opaque dir hides the image's files")
                .isEqualTo("two\nn\n");
        assertThat(tree("snappy").path("current").asText()).isEqualTo("s2");

        // the image was never changed: a new container sees its files
        create(daemon, "{\"name\":\"fresh\",\"image\":\"" + image + "\"}");
        start(daemon, "fresh");
        assertThat(sh("fresh", "ls /data; test -e /marker || echo no-marker")).isEqualTo("a\nb\nno-marker\n");
        daemon.client().call("DELETE", "/api/v1/instances/fresh?force=true", null);

        // bad input leaves everything as it was
        assertThat(status("POST", "/api/v1/instances/snappy/snapshots", "{\"name\":\"s2\"}"))
                .as("taken name")
                .isEqualTo(409);
        assertThat(status("POST", "/api/v1/instances/snappy/snapshots", "{\"name\":\"x\",\"ram\":true}"))
                .as("no RAM")
                .isEqualTo(400);
        assertThat(status("POST", "/api/v1/instances/snappy/snapshots", "{\"name\":\"../x\"}"))
                .isEqualTo(400);
        assertThat(status("POST", "/api/v1/instances/snappy/snapshots/nosuch/rollback", null))
                .isEqualTo(404);
        assertThat(status("DELETE", "/api/v1/instances/snappy/snapshots/nosuch", null))
                .isEqualTo(404);
        assertThat(nodes("snappy")).containsOnlyKeys("s1", "s2");

        // removing the root node: its child takes its (empty) parent and keeps its copy
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/snappy/snapshots/s1", null)
                        .status())
                .isEqualTo(202);
        awaitTree("snappy", t -> t.size() == 1);
        assertThat(nodes("snappy").get("s2").path("parent").isMissingNode()
                        || nodes("snappy").get("s2").path("parent").isNull())
                .isTrue();
        assertThat(stateDir("snappy").resolve("snapshots/s1")).doesNotExist();
        assertThat(stateDir("snappy").resolve("snapshots/s2")).isDirectory();

        Path dir = stateDir("snappy");
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/snappy?force=true", null)
                        .status())
                .isBetween(200, 299);
        assertThat(dir).as("the container's snapshots go with it").doesNotExist();
    }

    @Test
    void aSigkillInTheMiddleOfASnapshotOrARollbackLeavesTheLayerAndTheTreeAsTheyWere() throws Exception {
        create(daemon, "{\"name\":\"crashy\",\"image\":\"" + image + "\"}");
        start(daemon, "crashy");
        // a layer big enough that copying it takes a while
        sh("crashy", "echo base > /marker && dd if=/dev/zero of=/big bs=1M count=256 2>/dev/null && sync");
        daemon.okTask("/api/v1/instances/crashy/snapshots", "{\"name\":\"base\"}");

        // 1. killed while the running container is frozen for the copy: after a restart it runs (thawed), no half copy
        String t = taskId(daemon.post("/api/v1/instances/crashy/snapshots", "{\"name\":\"frozen\"}"));
        killWhen(t, j -> j.path("message").asText("").contains("freezing"));
        assertThat(lastRecovery()).anyMatch(a -> a.contains("half-made snapshot 'frozen'") && a.contains("not frozen"));
        assertThat(nodes("crashy")).containsOnlyKeys("base");
        assertThat(runcStatus("crashy")).as("thawed by recovery").isEqualTo("running");
        assertThat(sh("crashy", "echo alive")).isEqualTo("alive\n");
        assertThat(leftovers()).isEmpty();

        // 2. killed in the middle of a rollback's copy: the layer is the one it replaced
        sh("crashy", "echo changed > /marker");
        daemon.okTask("/api/v1/instances/crashy/stop?timeout=1", null);
        t = taskId(daemon.post("/api/v1/instances/crashy/snapshots/base/rollback", null));
        killWhen(t, j -> j.path("message").asText("").contains("copying snapshot"));
        assertThat(lastRecovery()).anyMatch(a -> a.contains("rollback of crashy") || a.contains("rolling crashy back"));
        assertThat(leftovers()).isEmpty();
        start(daemon, "crashy");
        // killed during the copy the rollback is undone (the copy may have been partial); had the copy been complete
        // and the old layer renamed away, recovery would have finished it: either way one whole layer, never a mix
        assertThat(sh("crashy", "cat /marker")).isIn("changed\n", "base\n");
        assertThat(tree("crashy").path("current").asText()).isEqualTo("base");
        assertThat(sh("crashy", "ls -l /big | awk '{print $5}'")).isEqualTo(String.valueOf(256L << 20) + "\n");

        // 3. and the rollback, done again, completes
        daemon.okTask("/api/v1/instances/crashy/stop?timeout=1", null);
        daemon.okTask("/api/v1/instances/crashy/snapshots/base/rollback", null);
        start(daemon, "crashy");
        assertThat(sh("crashy", "cat /marker")).isEqualTo("base\n");
        var types = new ArrayList<String>();
        daemon.get("/api/v1/events?since=0")
                .forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).contains("storage-recovered");
        daemon.client().call("DELETE", "/api/v1/instances/crashy?force=true", null);
    }

    /** What the last storage recovery did, from its event. */
    static List<String> lastRecovery() {
        var actions = new ArrayList<String>();
        daemon.get("/api/v1/events?since=0").forEach(e -> {
            if (e.path("type").asText().equals("storage-recovered")) {
                actions.clear();
                e.path("data").path("actions").forEach(a -> actions.add(a.asText()));
            }
        });
        return actions;
    }

    static String taskId(dev.vessel.http.ApiClient.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return Json.tree(r.text()).path("id").asText();
    }

    static void killWhen(String taskId, Predicate<JsonNode> phase) throws Exception {
        daemon.killWhen(taskId, phase);
    }

    static void awaitTree(String name, Predicate<Map<String, JsonNode>> done) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (done.test(nodes(name))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("snapshot tree of " + name + " is " + nodes(name));
    }

    static String runcStatus(String name) {
        String cid = "vessel-" + daemon.instance(name).path("id").asText();
        var r = new ProcessRunner()
                .run(
                        List.of(
                                "runc",
                                "--root",
                                daemon.runDir().resolve("runc").toString(),
                                "state",
                                cid),
                        Duration.ofSeconds(10));
        return Json.tree(r.stdout()).path("status").asText();
    }

    static List<Path> leftovers() throws Exception {
        try (Stream<Path> all = Files.walk(daemon.dataDir().resolve("instances"))) {
            return all.filter(p -> {
                        String f = p.getFileName().toString();
                        return f.startsWith(".partial-")
                                || f.startsWith(".trash-")
                                || f.equals("layer.incoming")
                                || f.equals("layer.outgoing");
                    })
                    .toList();
        }
    }
}
