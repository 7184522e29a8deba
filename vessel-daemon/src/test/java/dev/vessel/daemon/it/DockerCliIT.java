package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.container.testing.TestImage;
import dev.vessel.container.testing.TestRegistry;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.http.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Docker face driven by the real docker CLIs, as clients only (no dockerd runs): 28.2 (API 1.50, which
 * negotiates down to our 1.44) and Debian's 20.10 (API 1.41). Each container they make is the same instance the
 * REST API shows, and the other way round.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class DockerCliIT {
    static final String NEW_CLI = "/usr/local/bin/docker";
    static final String OLD_CLI = "/usr/bin/docker";
    static DaemonProcess daemon;
    static TestRegistry registry;
    static Path work;

    @BeforeAll
    static void daemon() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "vdk-");
        registry = new TestRegistry(Files.createDirectories(work.resolve("registry")));
        registry.push(
                "team/app",
                "1",
                TestImage.busybox()
                        .set("Cmd", List.of("sh", "-c", "echo from the registry"))
                        .build());
        daemon = new DaemonProcess().start();
        ContainerSupport.load(daemon, work, "box:1", c -> c.set("Cmd", List.of("sh")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (registry != null) {
            registry.close();
        }
        AtomicFiles.deleteTree(work);
    }

    record Run(int code, String out, String err) {}

    static Run docker(String cli, String stdin, String... args) throws Exception {
        var argv = new ArrayList<>(List.of(cli));
        argv.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        var pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("DOCKER_HOST", "unix://" + daemon.runDir().resolve("docker.sock"));
        pb.environment().put("DOCKER_CONFIG", work.resolve("docker-config").toString());
        pb.environment().remove("DOCKER_API_VERSION");
        if (stdin != null) {
            Path in = Files.createTempFile(work, "in", ".txt");
            Files.writeString(in, stdin);
            pb.redirectInput(in.toFile());
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cli + " " + String.join(" ", args) + " hung:\n" + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static Run ok(String cli, String... args) throws Exception {
        var r = docker(cli, null, args);
        assertThat(r.code())
                .as("%s %s\nout: %s\nerr: %s", cli, String.join(" ", args), r.out(), r.err())
                .isZero();
        return r;
    }

    @Test
    void bothClientsTalkToTheFaceAtTheirOwnVersion() throws Exception {
        assertThat(ok(
                                NEW_CLI,
                                "version",
                                "--format",
                                "{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Client.APIVersion}}")
                        .out()
                        .strip())
                .as("28.2 speaks 1.50 and negotiates down to ours")
                .isEqualTo("1.44 1.24 1.44");
        assertThat(ok(OLD_CLI, "version", "--format", "{{.Server.APIVersion}} {{.Client.APIVersion}}")
                        .out()
                        .strip())
                .isEqualTo("1.44 1.41");
        assertThat(ok(NEW_CLI, "info", "--format", "{{.OSType}} {{.Driver}}")
                        .out()
                        .strip())
                .startsWith("linux ");
        var tooNew = daemon.client();
        var sock = ApiClient.unix(daemon.runDir().resolve("docker.sock"));
        var r = sock.call("GET", "/v1.99/version", null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(Json.tree(r.text()).path("message").asText())
                .isEqualTo("client version 1.99 is too new. Maximum supported API version is 1.44");
        assertThat(tooNew.call("GET", "/api/v1/ping", null).status()).isEqualTo(200);
    }

    @Test
    void runRmGivesTheExitCodeAndLeavesNothing() throws Exception {
        for (String cli : List.of(NEW_CLI, OLD_CLI)) {
            var r = docker(cli, null, "run", "--rm", "--name", "once", "box:1", "sh", "-c", "echo out; exit 3");
            assertThat(r.code()).as(cli + ": " + r.err()).isEqualTo(3);
            assertThat(r.out()).isEqualTo("out\n");
            assertThat(daemon.client()
                            .call("GET", "/api/v1/instances/once", null)
                            .status())
                    .as(cli + ": --rm removed it before run returned")
                    .isEqualTo(404);
            // stdin through a pipe, half-closed at its end: cat sees EOF and the container ends
            var cat = docker(cli, "through stdin\n", "run", "--rm", "-i", "box:1", "cat");
            assertThat(cat.code()).as(cat.err()).isZero();
            assertThat(cat.out()).isEqualTo("through stdin\n");
        }
    }

    @Test
    void aDetachedContainersLifeIsTheSameInstanceEverywhere() throws Exception {
        String id = ok(
                        NEW_CLI,
                        "run",
                        "-d",
                        "--name",
                        "My_App",
                        "-l",
                        "team=blue",
                        "-e",
                        "GREETING=hello",
                        "-m",
                        "64m",
                        "-w",
                        "/tmp",
                        "box:1",
                        "sh",
                        "-c",
                        "echo started; exec sleep 300")
                .out()
                .strip();
        assertThat(id).matches("[0-9a-f]{12,64}");
        JsonNode inst = daemon.instance("my-app");
        assertThat(inst.path("id").asText()).startsWith(id.substring(0, 12));
        assertThat(inst.path("spec").path("labels").path("team").asText())
                .as("labels stored verbatim")
                .isEqualTo("blue");
        assertThat(ok(NEW_CLI, "ps", "--filter", "label=team=blue", "--format", "{{.Names}} {{.Image}}")
                        .out())
                .isEqualTo("My_App box:1\n");
        assertThat(ok(OLD_CLI, "ps", "--filter", "label=team=red", "-q").out()).isEmpty();
        assertThat(ok(
                                OLD_CLI,
                                "inspect",
                                "-f",
                                "{{.State.Running}} {{.Config.WorkingDir}} {{.HostConfig.Memory}}",
                                "My_App")
                        .out()
                        .strip())
                .isEqualTo("true /tmp 67108864");

        var exec = docker(NEW_CLI, null, "exec", "My_App", "sh", "-c", "echo $GREETING; exit 4");
        assertThat(exec.code()).isEqualTo(4);
        assertThat(exec.out()).isEqualTo("hello\n");
        for (String cli : List.of(NEW_CLI, OLD_CLI)) {
            var in = docker(cli, "line one\nline two\n", "exec", "-i", "My_App", "sh", "-c", "wc -l");
            assertThat(in.code()).as(in.err()).isZero();
            assertThat(in.out().strip()).as(cli).isEqualTo("2");
        }
        assertThat(ok(OLD_CLI, "logs", "My_App").out()).isEqualTo("started\n");
        assertThat(ok(NEW_CLI, "logs", "--tail", "1", "My_App").out()).isEqualTo("started\n");

        ok(NEW_CLI, "stop", "-t", "1", "My_App");
        assertThat(ok(NEW_CLI, "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", id)
                        .out()
                        .strip())
                .isEqualTo("exited 143");
        assertThat(ok(NEW_CLI, "ps", "-q").out()).doesNotContain(id);
        assertThat(ok(NEW_CLI, "ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}")
                        .out())
                .contains("My_App");
        ok(OLD_CLI, "start", "My_App");
        assertThat(ok(NEW_CLI, "inspect", "-f", "{{.State.Running}}", "My_App")
                        .out()
                        .strip())
                .isEqualTo("true");
        ok(NEW_CLI, "rm", "-f", "My_App");
        assertThat(daemon.client().call("GET", "/api/v1/instances/my-app", null).status())
                .isEqualTo(404);
    }

    @Test
    void aContainerMadeThroughRestIsADockerContainer() throws Exception {
        ContainerSupport.create(
                daemon,
                "{\"name\":\"rest-made\",\"image\":\"box:1\",\"command\":[\"true\"],"
                        + "\"network\":\"none\",\"labels\":{\"origin\":\"rest\"}}");
        assertThat(ok(OLD_CLI, "ps", "-a", "--filter", "label=origin=rest", "--format", "{{.Names}} {{.Status}}")
                        .out())
                .isEqualTo("rest-made Created\n");
        ok(NEW_CLI, "start", "rest-made");
        assertThat(ok(NEW_CLI, "wait", "rest-made").out().strip()).isEqualTo("0");
        ok(NEW_CLI, "rm", "rest-made");
        assertThat(ok(NEW_CLI, "ps", "-a", "-q", "--filter", "name=rest-made").out())
                .isEmpty();
    }

    @Test
    void aMissingImageIsPulledWithProgressThenRun() throws Exception {
        String ref = registry.host() + "/team/app:1";
        var r = docker(NEW_CLI, null, "run", "--rm", ref);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("Unable to find image '" + ref + "' locally");
        assertThat(r.out()).endsWith("from the registry\n");
        assertThat(ok(NEW_CLI, "images", "--format", "{{.Repository}}:{{.Tag}}").out())
                .contains(ref);
        ok(NEW_CLI, "tag", ref, "again:2");
        assertThat(ok(OLD_CLI, "image", "inspect", "-f", "{{.Id}}", "again:2").out())
                .isEqualTo(ok(OLD_CLI, "image", "inspect", "-f", "{{.Id}}", ref).out());
        assertThat(ok(NEW_CLI, "rmi", "again:2").out()).contains("Untagged: again:2");
        var pull = ok(OLD_CLI, "pull", ref);
        assertThat(pull.out()).contains("Status: Image is up to date for " + ref);
    }

    @Test
    void statsAndEventsAsTheClisShowThem() throws Exception {
        long since = java.time.Instant.now().getEpochSecond() - 1;
        ok(NEW_CLI, "run", "-d", "--name", "busy", "-l", "app=spin", "box:1", "sh", "-c", "while :; do :; done");
        // --no-stream takes two samples, the first as precpu_stats: the CLI's share is the engine's
        String stats = ok(NEW_CLI, "stats", "--no-stream", "--format", "{{.Name}} {{.CPUPerc}} {{.MemUsage}}", "busy")
                .out();
        var m = java.util.regex.Pattern.compile("busy (\\d+\\.\\d+)% \\d.*B / \\d.*B\n")
                .matcher(stats);
        assertThat(m.matches()).as(stats).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("a busy loop: " + stats).isGreaterThan(20.0);
        var json = Json.tree(ok(OLD_CLI, "stats", "--no-stream", "--format", "{{json .}}", "busy")
                .out());
        assertThat(json.path("Name").asText()).isEqualTo("busy");
        ok(NEW_CLI, "rm", "-f", "busy");
        assertThat(docker(NEW_CLI, null, "run", "--rm", "--name", "seven", "box:1", "sh", "-c", "exit 7")
                        .code())
                .isEqualTo(7);
        String until = Long.toString(java.time.Instant.now().getEpochSecond() + 1);
        String format = "{{.Status}} {{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}";
        var legacy = ok(
                        OLD_CLI,
                        "events",
                        "--since",
                        Long.toString(since),
                        "--until",
                        until,
                        "--filter",
                        "type=container",
                        "--format",
                        format)
                .out();
        assertThat(legacy.lines().map(l -> l.replace("<no value>", "").strip()))
                .as(legacy)
                .containsSubsequence("create busy", "start busy", "die busy 137", "destroy busy")
                .containsSubsequence("create seven", "start seven", "die seven 7", "destroy seven");
        var labelled = ok(
                        NEW_CLI,
                        "events",
                        "--since",
                        Long.toString(since),
                        "--until",
                        until,
                        "--filter",
                        "label=app=spin",
                        "--filter",
                        "event=die",
                        "--format",
                        "{{json .}}")
                .out();
        assertThat(labelled.lines()).hasSize(1);
        JsonNode die = Json.tree(labelled.lines().findFirst().orElseThrow());
        assertThat(die.path("Action").asText()).isEqualTo("die");
        assertThat(die.path("Actor").path("Attributes").path("app").asText()).isEqualTo("spin");
        assertThat(die.path("Actor").path("ID").asText())
                .isEqualTo(die.path("id").asText());
    }

    @Test
    void whatIsNotThereSaysSoAsDockerSaysIt() throws Exception {
        var inspect = docker(NEW_CLI, null, "inspect", "nosuch");
        assertThat(inspect.code()).isEqualTo(1);
        assertThat(inspect.err()).contains("No such object: nosuch");
        var rm = docker(OLD_CLI, null, "rm", "nosuch");
        assertThat(rm.code()).isEqualTo(1);
        assertThat(rm.err()).contains("No such container: nosuch");
        var privileged = docker(NEW_CLI, null, "run", "--rm", "--privileged", "box:1", "true");
        assertThat(privileged.code()).isEqualTo(125);
        assertThat(privileged.err()).contains("privileged containers are not supported");
    }

    /** Garbage in every shape the API takes: each a 4xx with Docker's message, none a 5xx, and nothing stored. */
    @Test
    void aThousandMalformedRequestsAreEachRefusedAndStoreNothing() throws Exception {
        var sock = ApiClient.unix(daemon.runDir().resolve("docker.sock"));
        int before = daemon.get("/api/v1/instances").size();
        var rnd = new java.util.Random(16);
        List<String> junk = List.of(
                "{",
                "[]",
                "null",
                "1",
                "\"x\"",
                "{\"Image\":",
                "{\"Image\":5}",
                "{\"Image\":\"\"}",
                "{\"Image\":\"box:1\",\"HostConfig\":{\"Memory\":\"lots\"}}",
                "{\"Image\":\"box:1\",\"HostConfig\":{\"Memory\":-5}}",
                "{\"Image\":\"box:1\",\"HostConfig\":{\"Privileged\":true}}",
                "{\"Image\":\"box:1\",\"HostConfig\":{\"Binds\":[\"/tmp:/x:bogus\"]}}",
                "{\"Image\":\"box:1\",\"HostConfig\":{\"PortBindings\":{\"99999/tcp\":[]}}}",
                "{\"Image\":\"box:1\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\"}]}}",
                "{\"Image\":\"no/such:img\"}",
                "{\"Image\":\"UPPER\"}",
                "{\"Image\":\"box:1\",\"Env\":[\"=x\"]}",
                "{\"Image\":\"box:1\",\"Labels\":{\"\":\"x\"}}");
        List<String> names = List.of("", "-x", "a b", "x", "..", "a/b", "%00", "é1");
        int n = 0;
        for (int i = 0; i < 1000; i++) {
            String method;
            String path;
            byte[] body = null;
            switch (i % 8) {
                case 0, 1, 2 -> {
                    method = "POST";
                    String name = rnd.nextInt(3) == 0 ? "?name=" + names.get(rnd.nextInt(names.size())) : "";
                    path = "/v1.44/containers/create" + name.replace(" ", "%20").replace("é", "%C3%A9");
                    String b = junk.get(rnd.nextInt(junk.size()));
                    if (rnd.nextBoolean() && b.length() > 2) {
                        b = b.substring(0, 1 + rnd.nextInt(b.length() - 1));
                    }
                    body = b.getBytes(StandardCharsets.UTF_8);
                }
                case 3 -> {
                    method = "GET";
                    path = "/containers/json?filters="
                            + java.net.URLEncoder.encode(
                                    junk.get(rnd.nextInt(junk.size())).replace("Image", "colour"),
                                    StandardCharsets.UTF_8);
                }
                case 4 -> {
                    method = List.of("POST", "DELETE", "GET").get(rnd.nextInt(3));
                    path = "/containers/nosuch" + rnd.nextInt(1000)
                            + List.of("/start", "", "/json", "/stop", "/kill", "/logs?stdout=1", "/wait")
                                    .get(rnd.nextInt(7));
                }
                case 5 -> {
                    method = "GET";
                    path = "/v" + List.of("0.1", "1.99", "x.y", "1", "2.0").get(rnd.nextInt(5)) + "/containers/json";
                }
                case 6 -> {
                    method = "POST";
                    path = "/images/create?fromImage="
                            + List.of("", "UPPER", "a//b", "x:y:z", "%20").get(rnd.nextInt(5));
                }
                default -> {
                    method = "POST";
                    path = "/containers/create?name=ok" + i;
                    body = ("{\"Image\":\"box:1\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes"
                                    + rnd.nextInt(9) + "\"}}}")
                            .getBytes(StandardCharsets.UTF_8);
                }
            }
            var r = sock.call(method, path, body);
            assertThat(r.status())
                    .as("%s %s %s -> %s", method, path, body == null ? "" : new String(body), r.text())
                    .isBetween(400, 499);
            if (r.body().length > 0) {
                assertThat(Json.tree(r.text()).path("message").asText())
                        .as(path)
                        .isNotBlank();
            }
            n++;
        }
        assertThat(n).isEqualTo(1000);
        assertThat(daemon.get("/api/v1/instances").size()).as("nothing stored").isEqualTo(before);
        assertThat(sock.call("GET", "/_ping", null).text()).as("still serving").isEqualTo("OK");
    }
}
