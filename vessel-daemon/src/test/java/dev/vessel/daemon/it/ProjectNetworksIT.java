package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.ContainerSupport.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.container.testing.TestImage;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.http.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Networks and images of projects for real, in a daemon in its own network namespace: two projects with networks of
 * their own each make a network "lan" (two bridges) and run an instance on it, a VM on alpha's and a container on
 * beta's, which cannot reach each other; a project without networks of its own sees and joins the default project's
 * and makes its networks there; images of a project with images of its own and of the default project do not see
 * each other; features do not change under a project that holds something; and removing it all leaves the host as it
 * was.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectNetworksIT {
    static NetTestBed bed;
    static DaemonProcess daemon;
    static NetTestBed.Snapshot clean;
    static Path work;
    static String vmIp;
    static Path layout;

    @BeforeAll
    static void start() throws Exception {
        for (String tool : List.of("/usr/sbin/dnsmasq", "/usr/sbin/nft", "/usr/bin/busybox")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is missing");
        }
        bed = new NetTestBed();
        daemon = bed.daemon;
        work = Files.createTempDirectory(Path.of("/tmp"), "project-nets-");
        clean = bed.snapshot();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            if (work != null) {
                AtomicFiles.deleteTree(work);
            }
        }
    }

    static ContainerSupport.Cli vessel(String... args) throws Exception {
        return cli(daemon, null, args);
    }

    static ContainerSupport.Cli ok(String... args) throws Exception {
        var r = vessel(args);
        assertThat(r.code())
                .as("vessel %s\nout: %s\nerr: %s", String.join(" ", args), r.out(), r.err())
                .isZero();
        return r;
    }

    static ApiClient in(String project) {
        return project == null ? daemon.client() : daemon.client().inProject(project);
    }

    static ApiClient.Response call(String project, String method, String path, String body) {
        return in(project).call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(String project, String path) {
        var r = call(project, "GET", path, null);
        assertThat(r.ok())
                .as("GET %s in %s: %s %s", path, project, r.status(), r.text())
                .isTrue();
        return Json.tree(r.text());
    }

    /** A task of {@code project}, waited for; fails unless it succeeded. */
    static void task(String project, String path, String body) throws InterruptedException {
        var r = call(project, "POST", path, body);
        assertThat(r.status()).as(path + ": " + r.text()).isEqualTo(202);
        String id = Json.tree(r.text()).path("id").asText();
        for (int i = 0; i < 120; i++) {
            JsonNode t = daemon.get("/api/v1/tasks/" + id + "/wait?timeout=5");
            if (t.path("state").asText().matches("succeeded|failed|cancelled")) {
                assertThat(t.path("state").asText()).as(path + ": " + t).isEqualTo("succeeded");
                return;
            }
        }
        throw new AssertionError("task " + id + " did not end");
    }

    /** Runs a busybox container of {@code project} to its end; returns its output. */
    static String runToEnd(String project, String name, String network, String script) throws Exception {
        String net = network == null ? "" : ",\"network\":\"" + network + "\"";
        var made = call(
                project,
                "POST",
                "/api/v1/containers",
                "{\"name\":\"" + name + "\",\"image\":\"netbox:1\"" + net + ",\"command\":[\"sh\",\"-c\",\"" + script
                        + "\"]}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        task(project, "/api/v1/instances/" + name + "/start", null);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (json(project, "/api/v1/instances/" + name)
                    .path("status")
                    .asText()
                    .equals("stopped")) {
                return call(project, "GET", "/api/v1/instances/" + name + "/logs", null)
                        .text();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not stop");
    }

    /** Loads the busybox test image (one build for every project) as netbox:1 into {@code project}'s image project. */
    static synchronized void loadImage(String project) throws Exception {
        if (layout == null) {
            layout = Files.createTempDirectory(work, "layout-");
            TestImage.ociLayout(layout, TestImage.busybox().build(), "netbox:1");
        }
        task(project, "/api/v1/oci-images/load", "{\"path\":\"" + layout + "\"}");
    }

    @Test
    @Order(1)
    void twoProjectsEachMakeANetworkLanAndRunAnInstanceOnItsOwn() throws Exception {
        // alpha takes its images from the default project (tiny is there), beta has its own.
        assertThat(ok("project", "create", "alpha", "--feature", "networks=true", "--feature", "images=false")
                        .out())
                .contains("Features: images=false networks=true");
        ok("project", "create", "beta", "--feature", "networks=true", "--limit", "networks=1");
        ok("--project", "alpha", "network", "create", "lan", "--subnet", "10.61.0.0/24");
        ok("--project", "beta", "network", "create", "lan", "--subnet", "10.62.0.0/24");

        assertThat(ok("--project", "alpha", "network", "ls").out())
                .containsPattern("lan +10\\.61\\.0\\.0/24")
                .doesNotContain("10.62.0.0")
                .doesNotContain("10.88.0.0");
        assertThat(ok("--project", "beta", "network", "ls").out())
                .containsPattern("lan +10\\.62\\.0\\.0/24")
                .doesNotContain("10.61.0.0");
        assertThat(ok("network", "ls").out()).contains("default").doesNotContain("lan");
        assertThat(ok("network", "ls", "--all-projects").out())
                .containsPattern("alpha +lan +10\\.61\\.0\\.0/24")
                .containsPattern("beta +lan +10\\.62\\.0\\.0/24")
                .containsPattern("default +default +10\\.88\\.0\\.0/16");
        String alphaBridge =
                json("alpha", "/api/v1/networks/lan").path("bridge").asText();
        String betaBridge = json("beta", "/api/v1/networks/lan").path("bridge").asText();
        assertThat(alphaBridge).isNotEqualTo(betaBridge).startsWith("vsl-b").hasSize(15);
        assertThat(bed.run(bed.host, "ip", "-br", "link", "show", "dev", alphaBridge)
                        .stdout())
                .contains(alphaBridge);
        assertThat(bed.run(bed.host, "ip", "-br", "link", "show", "dev", betaBridge)
                        .stdout())
                .contains(betaBridge);
        // beta may hold one network of its own.
        var second = vessel("--project", "beta", "network", "create", "wan", "--subnet", "10.64.0.0/24");
        assertThat(second.code()).as(second.err()).isEqualTo(9);
        assertThat(second.err()).contains("quota exceeded in project 'beta': networks limit 1, used 1, requested 1");
        assertThat(ok("project", "show", "beta").out()).containsPattern("networks +1 +1");

        // alpha's VM boots on alpha's lan; without --network it would get alpha's own "default", which it has not.
        ok("--project", "alpha", "vm", "create", "web", "--image", "tiny", "--memory", "128M", "--network", "lan");
        ok("--project", "alpha", "vm", "start", "web", "--wait");
        JsonNode web = json("alpha", "/api/v1/instances/web");
        assertThat(web.path("networks").get(0).path("network").asText()).isEqualTo("lan");
        vmIp = web.path("networks").get(0).path("ip").asText();
        assertThat(vmIp).startsWith("10.61.0.");
        assertThat(bed.awaitPage(bed.host, "http://" + vmIp + "/")).contains("<h1>web</h1>");
        assertThat(bed.run(bed.host, "busybox", "nslookup", "web.alpha.vessel", "10.61.0.1")
                        .stdout())
                .contains("Address: " + vmIp);

        // beta's container runs on beta's lan, and alpha's lan is not its to reach.
        loadImage("beta");
        String logs = runToEnd(
                "beta",
                "app",
                "lan",
                "ip -4 -o addr show dev eth0; cat /etc/resolv.conf; ping -c 1 -W 2 " + vmIp
                        + " && echo REACHED || echo BLOCKED");
        assertThat(logs)
                .contains("inet 10.62.0.")
                .contains("nameserver 10.62.0.1")
                .contains("network 'lan' of project 'beta'")
                .contains("BLOCKED")
                .doesNotContain("REACHED");
        assertThat(json("beta", "/api/v1/networks/lan").path("leases").toString())
                .contains("\"hostname\":\"app.beta\"");
        assertThat(json("alpha", "/api/v1/networks/lan").path("leases").toString())
                .doesNotContain("app.beta");
        var none = vessel("--project", "beta", "vm", "create", "x", "--image", "tiny", "--network", "default");
        assertThat(none.code())
                .as("beta has no network 'default' and no image 'tiny': " + none.err())
                .isEqualTo(4);
    }

    @Test
    @Order(2)
    void aProjectWithoutNetworksOfItsOwnSeesJoinsAndMakesTheDefaultProjectsNetworks() throws Exception {
        ok("project", "create", "shared", "--feature", "images=false");
        assertThat(ok("--project", "shared", "network", "ls").out())
                .containsPattern("default +10\\.88\\.0\\.0/16")
                .doesNotContain("lan");
        ok("--project", "shared", "network", "create", "extra", "--subnet", "10.63.0.0/24");
        assertThat(ok("network", "ls").out()).containsPattern("extra +10\\.63\\.0\\.0/24");
        assertThat(ok("network", "ls", "--all-projects").out()).containsPattern("default +extra +10\\.63\\.0\\.0/24");
        assertThat(ok("project", "show", "shared").out()).containsPattern("networks +0 +-");

        loadImage(null);
        String logs = runToEnd("shared", "tool", null, "ip -4 -o addr show dev eth0");
        assertThat(logs).contains("inet 10.88.");
        assertThat(runToEnd("shared", "tool2", "extra", "ip -4 -o addr show dev eth0"))
                .contains("inet 10.63.0.");
        assertThat(json("shared", "/api/v1/networks/default").path("leases").toString())
                .contains("\"hostname\":\"tool.shared\"");
        for (String c : List.of("tool", "tool2")) {
            assertThat(call("shared", "DELETE", "/api/v1/instances/" + c, null).status())
                    .isEqualTo(204);
        }
        ok("--project", "shared", "network", "rm", "extra");
        assertThat(ok("network", "ls").out()).doesNotContain("extra");
    }

    @Test
    @Order(3)
    void imagesOfAProjectWithImagesOfItsOwnAndOfTheDefaultProjectDoNotSeeEachOther() throws Exception {
        assertThat(ok("--project", "beta", "image", "ls").out())
                .contains("netbox:1")
                .doesNotContain("tiny");
        assertThat(ok("image", "ls").out()).contains("tiny").contains("netbox:1");
        // The two netbox:1 are one image, stored once, named in each project.
        String betaId = json("beta", "/api/v1/oci-images/inspect?ref=netbox:1")
                .path("id")
                .asText();
        String plainId =
                json(null, "/api/v1/oci-images/inspect?ref=netbox:1").path("id").asText();
        assertThat(betaId).isEqualTo(plainId);
        ok("--project", "beta", "image", "tag", "netbox:1", "beta/only:1");
        assertThat(ok("image", "ls").out()).doesNotContain("beta/only");
        assertThat(ok("image", "ls", "--all-projects").out())
                .containsPattern("beta +beta/only:1 +oci")
                .containsPattern("default +tiny +kernel");
        var missing = call(null, "POST", "/api/v1/containers", "{\"name\":\"x\",\"image\":\"beta/only:1\"}");
        assertThat(missing.status()).as(missing.text()).isEqualTo(404);
        assertThat(missing.text()).contains("image 'beta/only:1' not found");
        assertThat(vessel("--project", "beta", "image", "inspect", "tiny").code())
                .isEqualTo(4);
        assertThat(vessel("--project", "alpha", "image", "inspect", "tiny").code())
                .as("alpha uses the default project's images")
                .isZero();
        // Removing beta's name leaves the default project's image be.
        ok("--project", "beta", "image", "rm", "beta/only:1");
        assertThat(ok("image", "inspect", "netbox:1").out()).contains(plainId);
    }

    @Test
    @Order(4)
    void featuresDoNotChangeUnderAProjectThatHoldsSomethingAndItGoesOnlyOnceEmpty() throws Exception {
        var change = vessel("project", "set", "beta", "--feature", "networks=false");
        assertThat(change.code()).as(change.err()).isEqualTo(5);
        assertThat(change.err())
                .contains("features can only be changed on an empty project: project 'beta' holds instance(s) [app]")
                .contains("network(s) [lan]")
                .contains("OCI image(s) [netbox:1]");
        assertThat(ok("project", "show", "beta").out()).contains("Features: images=true networks=true");
        var defaults = vessel("project", "set", "default", "--feature", "images=false");
        assertThat(defaults.code()).isEqualTo(3);

        assertThat(call("beta", "DELETE", "/api/v1/instances/app", null).status())
                .isEqualTo(204);
        var held = vessel("project", "rm", "beta");
        assertThat(held.code()).isEqualTo(5);
        assertThat(held.err()).contains("still holds the network(s) [lan] and the OCI image(s) [netbox:1]");
        ok("--project", "beta", "network", "rm", "lan");
        ok("--project", "beta", "image", "rm", "netbox:1");
        ok("project", "set", "beta", "--feature", "networks=false");
        ok("project", "rm", "beta");

        ok("--project", "alpha", "vm", "rm", "--force", "web");
        ok("--project", "alpha", "network", "rm", "lan");
        ok("project", "rm", "alpha");
        ok("project", "rm", "shared");
        ok("image", "rm", "netbox:1");
        bed.assertClean(clean);
    }
}
