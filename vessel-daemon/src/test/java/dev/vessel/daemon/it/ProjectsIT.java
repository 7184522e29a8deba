package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.ContainerSupport.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Projects for real, in a daemon in its own network namespace: the same name in two projects is two guests with
 * their own addresses, DNS names and ports; quotas refuse with the limit, the use and the request and store nothing;
 * a user with a role on one project sees and runs that project's instances only (over TLS, with curl); an empty
 * project goes and a full one does not.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectsIT {
    static final int PORT = 8006;
    static NetTestBed bed;
    static DaemonProcess daemon;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        for (String tool : List.of("/usr/sbin/dnsmasq", "/usr/sbin/nft", "/usr/bin/busybox", "/usr/bin/nsenter")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is missing");
        }
        bed = new NetTestBed("--tcp-listen", "127.0.0.1:" + PORT);
        daemon = bed.daemon;
        work = Files.createTempDirectory(Path.of("/tmp"), "projects-");
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
        if (work != null) {
            AtomicFiles.deleteTree(work);
        }
    }

    static ContainerSupport.Cli ok(String... args) throws Exception {
        var r = cli(daemon, null, args);
        assertThat(r.code())
                .as("vessel %s\nout: %s\nerr: %s", String.join(" ", args), r.out(), r.err())
                .isZero();
        return r;
    }

    /** A call on the root unix socket in {@code project}. */
    static dev.vessel.http.ApiClient.Response api(String project, String method, String path, String body) {
        var client = daemon.client();
        if (project != null) {
            client = client.inProject(project);
        }
        return client.call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    static long instanceDirs() throws Exception {
        try (var s = Files.list(daemon.dataDir().resolve("instances"))) {
            return s.count();
        }
    }

    @Test
    @Order(1)
    void theSameNameInTwoProjectsIsTwoGuestsWithTheirOwnAddressesDnsNamesAndPorts() throws Exception {
        assertThat(ok(
                                "project",
                                "create",
                                "dev",
                                "--description",
                                "the dev team",
                                "--limit",
                                "instances=2",
                                "--limit",
                                "memory=256M",
                                "--limit",
                                "cpus=2",
                                "--limit",
                                "disk=100M",
                                "--feature",
                                "images=false")
                        .out())
                .contains("Project: dev")
                .containsPattern("memory +0B +256MiB")
                .containsPattern("instances +0 +2");
        ok("vm", "create", "web", "--image", "tiny", "--memory", "128M");
        ok("--project", "dev", "vm", "create", "web", "--image", "tiny", "--memory", "128M", "-p", "8090:80");
        ok("--project", "dev", "vm", "start", "web", "--wait");

        assertThat(ok("ps", "-q").out()).isEqualTo("web\n");
        assertThat(ok("--project", "dev", "ps").out()).containsPattern("web +vm +running");
        assertThat(ok("ps", "--all-projects").out())
                .containsPattern("default +web +vm +created")
                .containsPattern("dev +web +vm +running");
        assertThat(ok("--project", "dev", "vm", "inspect", "web").out()).containsPattern("Project: +dev");

        JsonNode dev =
                Json.tree(api("dev", "GET", "/api/v1/instances/web", null).text());
        JsonNode plain =
                Json.tree(api(null, "GET", "/api/v1/instances/web", null).text());
        assertThat(dev.path("project").asText()).isEqualTo("dev");
        assertThat(dev.path("name").asText()).isEqualTo("web");
        assertThat(plain.path("project").asText()).isEqualTo("default");
        assertThat(dev.path("id").asText()).isNotEqualTo(plain.path("id").asText());
        String devIp = dev.path("networks").get(0).path("ip").asText();
        assertThat(devIp).isNotEqualTo(plain.path("networks").get(0).path("ip").asText());

        // The guest calls itself web; on its network it is web.dev, beside the default project's web.
        assertThat(bed.awaitPage(bed.host, "http://" + devIp + "/")).contains("<h1>web</h1>");
        String gateway = daemon.get("/api/v1/networks/default")
                .path("spec")
                .path("gateway")
                .asText();
        assertThat(bed.run(bed.host, "busybox", "nslookup", "web.dev.vessel", gateway)
                        .stdout())
                .contains("Address: " + devIp);
        // Its published port reaches it, and a port of the same number cannot be taken twice.
        assertThat(bed.awaitPage(bed.host, "http://" + NetTestBed.HOST_ADDRESS + ":8090/"))
                .contains("<h1>web</h1>");
        assertThat(ok("port", "ls").out()).contains("web.dev");
        // Events are the project's, as lists are; name= is a name in the project.
        assertThat(ok("--project", "dev", "events", "--filter", "type=started", "--filter", "name=web")
                        .out())
                .contains("started vm web.dev");
        assertThat(ok("events", "--filter", "type=started").out()).doesNotContain("web.dev");
        assertThat(ok("events", "--all-projects", "--filter", "type=started").out())
                .contains("started vm web.dev");
        // So are tasks: dev's start is in dev's list and not in default's; --all-projects shows both projects.
        JsonNode devTasks = Json.tree(api("dev", "GET", "/api/v1/tasks", null).text());
        assertThat(devTasks).isNotEmpty();
        devTasks.forEach(t -> assertThat(t.path("project").asText()).isEqualTo("dev"));
        assertThat(devTasks)
                .anySatisfy(t -> assertThat(t.path("target").asText()).isEqualTo("web.dev"));
        JsonNode defaultTasks =
                Json.tree(api(null, "GET", "/api/v1/tasks", null).text());
        defaultTasks.forEach(t -> assertThat(t.path("project").asText()).isEqualTo("default"));
        assertThat(ok("task", "ls", "--all-projects").out()).containsPattern("\\S+ +dev +start +web\\.dev +succeeded");
    }

    @Test
    @Order(2)
    void goingOverAQuotaIsRefusedWithTheLimitTheUseAndTheRequestAndNothingIsStored() throws Exception {
        long dirs = instanceDirs();
        var refused =
                cli(daemon, null, "--project", "dev", "vm", "create", "big", "--image", "tiny", "--memory", "256M");
        assertThat(refused.code()).as(refused.err()).isEqualTo(9);
        assertThat(refused.err())
                .contains("quota exceeded in project 'dev': memory limit 256MiB, used 128MiB, requested 256MiB");
        var problem = api("dev", "POST", "/api/v1/vms", "{\"name\":\"big\",\"image\":\"tiny\",\"memory\":\"256M\"}");
        assertThat(problem.status()).isEqualTo(409);
        JsonNode p = Json.tree(problem.text());
        assertThat(p.path("type").asText()).isEqualTo("urn:vessel:problem:quota-exceeded");
        assertThat(p.path("project").asText()).isEqualTo("dev");
        assertThat(p.path("limit").asText()).isEqualTo("memory");
        assertThat(p.path("max").asLong()).isEqualTo(256L << 20);
        assertThat(p.path("used").asLong()).isEqualTo(128L << 20);
        assertThat(p.path("requested").asLong()).isEqualTo(256L << 20);
        assertThat(ok("--project", "dev", "ps", "-q").out()).isEqualTo("web\n");
        assertThat(instanceDirs()).isEqualTo(dirs);

        ok("--project", "dev", "vm", "create", "small", "--image", "tiny", "--memory", "64M");
        var third =
                cli(daemon, null, "--project", "dev", "vm", "create", "third", "--image", "tiny", "--memory", "32M");
        assertThat(third.code()).isEqualTo(9);
        assertThat(third.err()).contains("instances limit 2, used 2, requested 1");
        // The default project has no limits, and its names are its own.
        ok("vm", "create", "third", "--image", "tiny", "--memory", "32M");
        assertThat(ok("project", "show", "dev").out())
                .containsPattern("instances +2 +2")
                .containsPattern("memory +192MiB +256MiB");
        // A limit below the use is refused, and the limits stay as they were.
        var lower = cli(daemon, null, "project", "set", "dev", "instances=1");
        assertThat(lower.code()).isEqualTo(3);
        assertThat(lower.err()).contains("already holds 2 instances");
        assertThat(ok("project", "ls").out()).containsPattern("dev +2/2 +2/2 +192MiB/256MiB");
    }

    @Test
    @Order(3)
    void volumesLiveInTheirProjectAndCountAgainstItsDiskQuota() throws Exception {
        ok("--project", "dev", "volume", "create", "data", "--size", "64M");
        ok("volume", "create", "data", "--size", "80M");
        assertThat(ok("--project", "dev", "volume", "ls").out())
                .containsPattern("data +local +qcow2 +64.0MiB")
                .doesNotContain("80.0MiB");
        assertThat(ok("volume", "ls").out())
                .containsPattern("data +local +qcow2 +80.0MiB")
                .doesNotContain("64.0MiB");
        var over = cli(daemon, null, "--project", "dev", "volume", "create", "more", "--size", "64M");
        assertThat(over.code()).as(over.err()).isEqualTo(9);
        assertThat(over.err()).contains("disk limit 100MiB, used 64.0MiB, requested 64.0MiB");
        var grow = cli(daemon, null, "--project", "dev", "volume", "resize", "data", "+64M");
        assertThat(grow.code()).as(grow.err()).isEqualTo(9);
        assertThat(ok("--project", "dev", "volume", "inspect", "data").out()).contains("\"virtualSize\" : 67108864");
        // Attached, it still counts once; a VM takes its own project's volume of that name.
        ok("--project", "dev", "volume", "attach", "small", "data");
        assertThat(ok("--project", "dev", "volume", "ls").out()).containsPattern("data .* small");
        assertThat(ok("volume", "ls").out()).doesNotContain("small");
        assertThat(ok("project", "show", "dev").out()).containsPattern("disk +64.0MiB +100MiB");
        ok("--project", "dev", "volume", "detach", "small", "data");
    }

    @Test
    @Order(4)
    void aUserWithARoleOnAProjectSeesAndRunsThatProjectsInstancesOnly() throws Exception {
        ok("project", "create", "prod");
        assertThat(api(null, "POST", "/api/v1/access/users", "{\"name\":\"carol\",\"password\":\"carol-password\"}")
                        .status())
                .isEqualTo(201);
        assertThat(api(
                                null,
                                "PUT",
                                "/api/v1/access/acl",
                                "{\"path\":\"/projects/dev\",\"principal\":\"carol\",\"role\":\"Operator\"}")
                        .status())
                .isLessThan(300);
        String token = Json.tree(
                        api(null, "POST", "/api/v1/access/users/carol/tokens", "{\"id\":\"t\",\"privsep\":false}")
                                .text())
                .path("value")
                .asText();
        String auth = "Authorization: Bearer " + token;

        var devList = curl("-H", auth, "-H", "X-Vessel-Project: dev", "/api/v1/instances");
        assertThat(devList.status()).isEqualTo(200);
        assertThat(names(devList.body())).containsExactlyInAnyOrder("web", "small");
        assertThat(names(curl("-H", auth, "/api/v1/instances").body())).isEmpty();
        assertThat(names(curl("-H", auth, "/api/v1/instances?all-projects=true").body()))
                .containsExactlyInAnyOrder("web", "small");
        // Only the projects it has rights in: not default, not prod.
        assertThat(names(curl("-H", auth, "/api/v1/projects").body())).containsExactly("dev");

        assertThat(curl("-X", "POST", "-H", auth, "/api/v1/instances/web/stop").status())
                .isEqualTo(403);
        assertThat(curl("-X", "POST", "-H", auth, "/api/v1/instances/web/stop?project=prod")
                        .status())
                .isEqualTo(403);
        var create = curl(
                "-X",
                "POST",
                "-H",
                auth,
                "-H",
                "Content-Type: application/json",
                "-d",
                "{\"name\":\"x\",\"image\":\"tiny\",\"memory\":\"32M\"}",
                "/api/v1/vms?project=dev");
        assertThat(create.status()).as(create.body()).isEqualTo(403);
        assertThat(create.body()).contains("/projects/dev/vms");
        var stop = curl("-X", "POST", "-H", auth, "/api/v1/instances/web/stop?project=dev");
        assertThat(stop.status()).as(stop.body()).isEqualTo(202);
        String task = Json.tree(stop.body()).path("id").asText();
        daemon.get("/api/v1/tasks/" + task + "/wait?timeout=120");
        assertThat(api("dev", "GET", "/api/v1/instances/web", null).text()).contains("\"status\":\"stopped\"");
        assertThat(api(null, "GET", "/api/v1/instances/web", null).text()).contains("\"status\":\"created\"");
        assertThat(curl("-H", auth, "-H", "X-Vessel-Project: nope", "/api/v1/instances")
                        .status())
                .isEqualTo(404);

        // The audit log says which project each call was for.
        var audit = new ArrayList<String>();
        Json.tree(ok("audit", "-o", "json").out())
                .forEach(e -> audit.add(e.path("user").asText() + " "
                        + e.path("verb").asText() + " "
                        + e.path("path").asText() + " " + e.path("project").asText("-") + " "
                        + e.path("status").asInt()));
        assertThat(audit)
                .contains("root POST /api/v1/projects - 201")
                .contains("carol!t POST /api/v1/instances/web/stop dev 202")
                .contains("carol!t POST /api/v1/instances/web/stop - 403")
                .contains("carol!t POST /api/v1/vms dev 403");
    }

    @Test
    @Order(5)
    void aProjectThatHoldsInstancesCannotGoAndAnEmptyOneCan() throws Exception {
        var full = cli(daemon, null, "project", "rm", "dev");
        assertThat(full.code()).isEqualTo(5);
        assertThat(full.err()).contains("still holds 2 instance(s)");
        ok("--project", "dev", "vm", "rm", "web");
        ok("--project", "dev", "vm", "rm", "--force", "small");
        var volumes = cli(daemon, null, "project", "rm", "dev");
        assertThat(volumes.code()).isEqualTo(5);
        assertThat(volumes.err()).contains("still holds the volume(s) [data]");
        ok("--project", "dev", "volume", "rm", "data");
        assertThat(api(null, "GET", "/api/v1/ports", null).text()).doesNotContain("web.dev");
        ok("project", "rm", "dev");
        assertThat(ok("project", "ls").out())
                .doesNotContain("dev ")
                .contains("default")
                .contains("prod");
        // The default project's web was never touched.
        assertThat(ok("ps", "-q").out()).contains("web\n").contains("third\n");
    }

    record Answer(int status, String body) {}

    /** curl inside the daemon's namespace, over TLS with the node's CA. */
    static Answer curl(String... args) throws Exception {
        var argv = new ArrayList<>(List.of(
                "nsenter",
                "--net=/run/netns/" + bed.host,
                "curl",
                "-sS",
                "--cacert",
                daemon.dataDir().resolve("tls/ca.crt").toString(),
                "-w",
                "\n%{http_code}"));
        for (int i = 0; i < args.length; i++) {
            boolean last = i == args.length - 1;
            argv.add(last ? "https://127.0.0.1:" + PORT + args[i] : args[i]);
        }
        Path out = Files.createTempFile(work, "out", ".txt");
        var p = new ProcessBuilder(argv)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(argv + " hung");
        }
        String text = Files.readString(out).strip();
        int nl = text.lastIndexOf('\n');
        return new Answer(Integer.parseInt(text.substring(nl + 1).strip()), nl < 0 ? "" : text.substring(0, nl));
    }

    static List<String> names(String json) {
        var out = new ArrayList<String>();
        Json.tree(json).forEach(n -> out.add(n.path("name").asText()));
        return out;
    }
}
