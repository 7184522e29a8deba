package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.ContainerSupport.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.container.testing.TestImage;
import dev.vessel.container.testing.TestRegistry;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.image.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * OCI images through the daemon: a pull from Debian's real registry (started here, with an image the test pushed),
 * through the API and the CLI, then run; loads of docker-save archives and OCI layouts; and bad references, unknown
 * tags, a registry that is down, and hostile archives, each refused with a clear message and the store unchanged.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class OciImageIT {
    static DaemonProcess daemon;
    static TestRegistry registry;
    static Path work;

    @BeforeAll
    static void daemonAndRegistry() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "voi-");
        registry = new TestRegistry(Files.createDirectories(work.resolve("registry")));
        TestImage.Built img = TestImage.busybox()
                .set("Cmd", List.of("sh", "-c", "echo from the registry; cat /etc/release"))
                .layer(Map.of("etc/release", "layer two"))
                .build();
        registry.push("vessel/app", "1", img);
        registry.push(
                "vessel/cli",
                "1",
                TestImage.busybox()
                        .set("Cmd", List.of("sh", "-c", "echo from the registry; cat /etc/release"))
                        .layer(Map.of("etc/release", "layer two", "etc/cli", ""))
                        .build());
        daemon = new DaemonProcess().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        AtomicFiles.deleteTree(work);
    }

    static String run(String name, String image) throws InterruptedException {
        ContainerSupport.runToEnd(
                daemon, "{\"name\":\"" + name + "\",\"image\":\"" + image + "\",\"network\":\"none\"}");
        return ContainerSupport.logs(daemon, name);
    }

    @Test
    void anImagePulledFromARegistryRunsAndThePullReportsEachLayer() throws Exception {
        String ref = registry.host() + "/vessel/app:1";
        JsonNode task = daemon.okTask("/api/v1/oci-images/pull", "{\"reference\":\"" + ref + "\"}");
        List<String> log =
                daemon.get("/api/v1/tasks/" + task.path("id").asText() + "/log").findValuesAsText("line");
        assertThat(log.stream().filter(l -> l.matches("[0-9a-f]{12}: done.*")))
                .as(log.toString())
                .hasSize(2);
        assertThat(log.stream().filter(l -> l.matches("[0-9a-f]{12}: downloading.*")))
                .as(log.toString())
                .isNotEmpty();
        long layerEvents = 0;
        for (JsonNode e : daemon.get("/api/v1/events?since=0")) {
            if (e.path("type").asText().equals("image-layer")
                    && e.path("data")
                            .path("task")
                            .asText()
                            .equals(task.path("id").asText())
                    && e.path("data").path("phase").asText().equals("done")) {
                layerEvents++;
            }
        }
        assertThat(layerEvents)
                .as("an image-layer event per layer when it is done")
                .isEqualTo(2);
        JsonNode img = daemon.get("/api/v1/oci-images/inspect?ref=" + ref);
        assertThat(img.path("layers").asInt()).isEqualTo(2);
        assertThat(run("pulled", ref)).isEqualTo("from the registry\nlayer two");
    }

    @Test
    void theCliPullsWithProgressAndRunsTheImage() throws Exception {
        String ref = registry.host() + "/vessel/cli:1";
        var pull = cli(daemon, null, "pull", ref);
        assertThat(pull.code()).as(pull.err()).isZero();
        assertThat(pull.err()).contains("Pulling " + ref).contains(": Pull complete");
        var run = cli(daemon, null, "run", "--rm", "--network", "none", ref);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("from the registry\nlayer two");
        var ls = cli(daemon, null, "image", "ls");
        assertThat(ls.out()).containsPattern(java.util.regex.Pattern.quote(ref) + " +oci +[0-9a-f]{12}");
        var exitCode = cli(
                daemon,
                "piped in\n".getBytes(StandardCharsets.UTF_8),
                "run",
                "-i",
                "--rm",
                "--network",
                "none",
                ref,
                "sh",
                "-c",
                "cat; exit 4");
        assertThat(exitCode.code()).isEqualTo(4);
        assertThat(exitCode.out()).isEqualTo("piped in\n");
    }

    @Test
    void badReferencesUnknownTagsAndADownRegistryGetClearMessages() {
        var bad = daemon.post("/api/v1/oci-images/pull", "{\"reference\":\"Bad/Upper:case\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("invalid reference format");

        JsonNode unknownTag =
                daemon.task("/api/v1/oci-images/pull", "{\"reference\":\"" + registry.host() + "/vessel/app:nope\"}");
        assertThat(unknownTag.path("state").asText()).isEqualTo("failed");
        assertThat(unknownTag.path("error").path("type").asText()).isEqualTo("urn:vessel:problem:not-found");
        assertThat(unknownTag.path("error").path("detail").asText()).contains("tag 'nope' not found");

        JsonNode unknownRepo =
                daemon.task("/api/v1/oci-images/pull", "{\"reference\":\"" + registry.host() + "/nobody/here:1\"}");
        assertThat(unknownRepo.path("error").path("detail").asText()).contains("nobody/here");

        JsonNode down = daemon.task("/api/v1/oci-images/pull", "{\"reference\":\"127.0.0.1:9/vessel/app:1\"}");
        assertThat(down.path("state").asText()).isEqualTo("failed");
        assertThat(down.path("error").path("detail").asText()).contains("127.0.0.1:9");

        var missing = daemon.client().call("GET", "/api/v1/oci-images/inspect?ref=never/pulled:1", null);
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void dockerSaveArchivesAndOciLayoutsAreLoaded() throws Exception {
        var built = TestImage.busybox().set("Cmd", List.of("echo", "loaded")).build();
        Path save = TestImage.dockerSave(work.resolve("save.tar"), built, List.of("saved/app:1", "saved/app:latest"));
        daemon.okTask("/api/v1/oci-images/load", "{\"path\":\"" + save + "\"}");
        assertThat(daemon.get("/api/v1/oci-images/inspect?ref=saved/app:1")
                        .path("references")
                        .toString())
                .contains("saved/app:1")
                .contains("saved/app:latest");
        assertThat(run("from-save", "saved/app:1")).isEqualTo("loaded\n");

        var other =
                TestImage.busybox().set("Cmd", List.of("echo", "from a layout")).build();
        Path layout = TestImage.ociLayout(work.resolve("layout"), other, "layout/app:2");
        Path archive = TestImage.ociArchive(work.resolve("layout.tar"), layout);
        JsonNode t = daemon.okTask("/api/v1/oci-images/load", "{\"path\":\"" + archive + "\"}");
        assertThat(t.path("message").asText()).contains("layout/app:2");
        assertThat(run("from-layout", "layout/app:2")).isEqualTo("from a layout\n");

        var cliLoad = cli(daemon, null, "image", "load", layout.toString());
        assertThat(cliLoad.code()).as(cliLoad.err()).isZero();
        assertThat(cliLoad.out()).contains("layout/app:2");
    }

    @Test
    void anImageALayoutNamesByATagAloneIsNamedAtLoadAndTagsMoveAndGo() throws Exception {
        var img = TestImage.busybox().set("Cmd", List.of("echo", "named")).build();
        Path layout = TestImage.ociLayoutRefName(work.resolve("bare-tag"), img, "latest"); // as skopeo writes it
        // without a name it cannot have one, and the task says how to give it one
        JsonNode t = daemon.okTask("/api/v1/oci-images/load", "{\"path\":\"" + layout + "\"}");
        assertThat(daemon.get("/api/v1/tasks/" + t.path("id").asText() + "/log")
                        .findValuesAsText("line")
                        .toString())
                .contains("has no name (its ref.name 'latest' is a tag alone")
                .contains("image load --name");
        // with one, the bare tag is kept
        var load = cli(daemon, null, "image", "load", "--name", "team/app", layout.toString());
        assertThat(load.code()).as(load.err()).isZero();
        assertThat(daemon.get("/api/v1/oci-images/inspect?ref=team/app:latest")
                        .path("references")
                        .toString())
                .contains("team/app:latest");
        assertThat(run("named1", "team/app")).isEqualTo("named\n");

        // tag and untag, as docker tag and podman untag
        var tag = cli(daemon, null, "image", "tag", "team/app:latest", "team/app:v2");
        assertThat(tag.code()).as(tag.err()).isZero();
        assertThat(daemon.get("/api/v1/oci-images/inspect?ref=team/app:v2")
                        .path("references")
                        .toString())
                .contains("team/app:latest", "team/app:v2");
        assertThat(cli(daemon, null, "image", "untag", "team/app:latest").code())
                .isZero();
        assertThat(run("named2", "team/app:v2")).isEqualTo("named\n");
        assertThat(daemon.client()
                        .call("GET", "/api/v1/oci-images/inspect?ref=team/app:latest", null)
                        .status())
                .isEqualTo(404);
        assertThat(cli(daemon, null, "image", "untag", "team/app:v2").code()).isZero();
        String id = daemon.instance("named2").path("spec").path("imageId").asText();
        assertThat(daemon.get("/api/v1/oci-images/inspect?ref=" + id).path("references"))
                .as("the image stays, nameless")
                .isEmpty();
        assertThat(cli(daemon, null, "image", "ls").out()).contains("<none>");
        // bad input: a digest as a tag, an unknown source, a name that is not one
        assertThat(daemon.post(
                                "/api/v1/oci-images/tag",
                                "{\"source\":\"" + id + "\",\"target\":\"x@sha256:" + "0".repeat(64) + "\"}")
                        .status())
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/oci-images/tag", "{\"source\":\"nosuch:1\",\"target\":\"x:1\"}")
                        .status())
                .isEqualTo(404);
        assertThat(daemon.post("/api/v1/oci-images/tag", "{\"source\":\"" + id + "\",\"target\":\"Bad Name\"}")
                        .status())
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/oci-images/untag", "{\"reference\":\"team/app:v9\"}")
                        .status())
                .isEqualTo(404);
        assertThat(cli(daemon, null, "image", "tag", id.substring(7, 19), "team/app:again")
                        .code())
                .isZero();
        assertThat(run("named3", "team/app:again")).isEqualTo("named\n");
    }

    @Test
    void aDebootstrapStyleRootFileSystemWithDeviceNodesImportsLoadsAndRuns() throws Exception {
        // /dev/console, /dev/null, /dev/zero as debootstrap and mmdebstrap tarballs have them: skipped, and said so
        byte[] rootfs = TestImage.busyboxRootfs(t ->
                t.charDevice("dev/console", 5, 1).charDevice("dev/null", 1, 3).charDevice("dev/zero", 1, 5));
        Path file = Files.write(work.resolve("debootstrap.tar"), rootfs);
        JsonNode t = daemon.okTask(
                "/api/v1/oci-images/import", "{\"path\":\"" + file + "\",\"reference\":\"deb/rootfs:12\"}");
        String log = daemon.get("/api/v1/tasks/" + t.path("id").asText() + "/log")
                .findValuesAsText("line")
                .toString();
        assertThat(log)
                .contains("skipped 3 device nodes")
                .contains("dev/console (character device 5:1)")
                .contains("their own /dev");
        // the container gets its /dev from the runtime: the nodes work there
        ContainerSupport.runToEnd(
                daemon,
                "{\"name\":\"deb1\",\"image\":\"deb/rootfs:12\",\"network\":\"none\","
                        + "\"command\":[\"sh\",\"-c\",\"echo gone > /dev/null && head -c 4 /dev/zero | wc -c\"]}");
        assertThat(ContainerSupport.logs(daemon, "deb1").strip()).isEqualTo("4");

        // the same layer in a docker save archive loads too
        byte[] tar = new TestImage.Tar()
                .dir("dev")
                .charDevice("dev/console", 5, 1)
                .file("etc/motd", "deb".getBytes(), 0644)
                .bytes();
        var img = TestImage.busybox()
                .rawLayer(TestImage.gzip(tar), Digest.of(tar))
                .set("Cmd", List.of("cat", "/etc/motd"))
                .build();
        JsonNode load = daemon.okTask(
                "/api/v1/oci-images/load",
                "{\"path\":\"" + TestImage.dockerSave(work.resolve("deb.tar"), img, List.of("deb/saved:1")) + "\"}");
        assertThat(daemon.get("/api/v1/tasks/" + load.path("id").asText() + "/log")
                        .findValuesAsText("line")
                        .toString())
                .contains("skipped 1 device node (dev/console");
        assertThat(run("deb2", "deb/saved:1")).isEqualTo("deb");
    }

    @Test
    void hostileAndDamagedArchivesAreRefusedAndLeaveTheStoreAsItWas() throws Exception {
        Path store = daemon.dataDir().resolve("oci");
        daemon.okTask(
                "/api/v1/oci-images/import",
                "{\"path\":\"" + TestImage.rootfsTarball(work.resolve("good.tgz"))
                        + "\",\"reference\":\"good/base:1\"}");
        Map<String, String> before = snapshot(store);
        Path outside = Files.createDirectories(work.resolve("outside"));

        Map<String, byte[]> hostileRootfs = new java.util.LinkedHashMap<>();
        hostileRootfs.put(
                "'..' would leave the root",
                new TestImage.Tar().rawFile("../../escaped", "x".getBytes()).bytes());
        hostileRootfs.put(
                "absolute target outside the root",
                new TestImage.Tar()
                        .symlink("evil", outside.toString())
                        .file("evil/pwned", "x".getBytes(), 0644)
                        .bytes());
        hostileRootfs.put(
                "link target",
                new TestImage.Tar().hardlink("etc-shadow", "/etc/shadow").bytes());
        for (var e : hostileRootfs.entrySet()) {
            Path file = work.resolve("hostile.tar");
            Files.write(file, e.getValue());
            JsonNode t = daemon.task(
                    "/api/v1/oci-images/import", "{\"path\":\"" + file + "\",\"reference\":\"hostile/x:1\"}");
            assertThat(t.path("state").asText()).as(e.getKey()).isEqualTo("failed");
            assertThat(t.path("error").path("type").asText())
                    .as(e.getKey())
                    .isEqualTo("urn:vessel:problem:invalid-input");
            assertThat(t.path("error").path("detail").asText().toLowerCase())
                    .as(e.getKey())
                    .contains(e.getKey().toLowerCase());
            assertThat(snapshot(store)).as(e.getKey()).isEqualTo(before);
        }
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.toList()).isEmpty();
        }

        byte[] tar = new TestImage.Tar().file("etc/motd", "hi".getBytes(), 0644).bytes();
        byte[] gz = TestImage.gzip(tar);
        // A layout whose layer blob is not what its digest says.
        var lying = TestImage.busybox().rawLayer(gz, Digest.of(tar)).build();
        Path bad = TestImage.ociLayout(work.resolve("bad-digest"), lying, "bad/digest:1");
        Files.write(
                bad.resolve("blobs/sha256/" + lying.layers().get(1).digest().hex()),
                TestImage.gzip(new TestImage.Tar()
                        .file("etc/motd", "evil".getBytes(), 0644)
                        .bytes()));
        assertRefused(bad, "digest", store, before);
        // A layer cut short: its digest matches, the gzip stream inside does not end.
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        Path truncated = TestImage.ociLayout(
                work.resolve("truncated"),
                TestImage.busybox().rawLayer(cut, Digest.of(tar)).build(),
                "bad/cut:1");
        assertRefused(truncated, "", store, before);
        assertThat(daemon.get("/api/v1/oci-images").toString())
                .doesNotContain("bad/")
                .doesNotContain("hostile/");
    }

    void assertRefused(Path layout, String message, Path store, Map<String, String> before) throws Exception {
        JsonNode t = daemon.task("/api/v1/oci-images/load", "{\"path\":\"" + layout + "\"}");
        assertThat(t.path("state").asText()).isEqualTo("failed");
        assertThat(t.path("error").path("detail").asText()).contains(message);
        assertThat(snapshot(store)).isEqualTo(before);
    }

    /** Every file of the store (staging excluded, it is emptied after each operation) with its size. */
    static Map<String, String> snapshot(Path store) throws Exception {
        var out = new TreeMap<String, String>();
        try (Stream<Path> s = Files.walk(store)) {
            for (Path p : s.toList()) {
                String rel = store.relativize(p).toString();
                if (!rel.startsWith("tmp/")) {
                    out.put(rel, Files.isRegularFile(p) ? Long.toString(Files.size(p)) : "dir");
                }
            }
        }
        return out;
    }

    static String text(JsonNode n) {
        return Json.write(n);
    }
}
