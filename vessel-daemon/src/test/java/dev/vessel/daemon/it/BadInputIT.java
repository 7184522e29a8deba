package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** A batch of malformed requests: each gets a clear 4xx problem, and nothing that existed changes. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class BadInputIT {
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess().start();
        TinyImageSupport.ensure(daemon);
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"keep\",\"image\":\"tiny\",\"memory\":\"128M\"}")
                        .status())
                .isEqualTo(201);
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"idle\",\"image\":\"tiny\"}")
                        .status())
                .isEqualTo(201);
        daemon.okTask("/api/v1/instances/keep/start?wait=true", null);
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    record Bad(String method, String path, String body, int status, String detailContains) {}

    static final String HUGE = "x".repeat(5 << 20);

    static final List<Bad> BATCH = List.of(
            new Bad("POST", "/api/v1/vms", "{not json", 400, "not valid JSON"),
            new Bad("POST", "/api/v1/vms", "[]", 400, "wrong JSON type"),
            new Bad("POST", "/api/v1/vms", "null", 400, "JSON object"),
            new Bad("POST", "/api/v1/vms", "", 400, "JSON object is required"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"x\",\"image\":\"tiny\",\"cpus\":\"many\"}", 400, "cpus"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"x\",\"image\":\"tiny\",\"cpus\":99999999999}", 400, "cpus"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"x\",\"image\":\"tiny\",\"cpus\":0}", 400, "cpus"),
            new Bad(
                    "POST",
                    "/api/v1/vms",
                    "{\"name\":\"x\",\"image\":\"tiny\",\"memory\":\"99999999999999999999G\"}",
                    400,
                    "memory"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"x\",\"image\":\"tiny\",\"memory\":\"4T\"}", 400, "memory"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"x\",\"image\":\"tiny\",\"memory\":\"12Q\"}", 400, "memory"),
            new Bad(
                    "POST",
                    "/api/v1/vms",
                    "{\"name\":\"x\",\"image\":\"tiny\",\"colour\":\"red\"}",
                    400,
                    "unknown field"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"x\",\"image\":\"tiny\",\"accel\":\"warp\"}", 400, "accel"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"../../etc\",\"image\":\"tiny\"}", 400, "not a valid name"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"A_B\",\"image\":\"tiny\"}", 400, "not a valid name"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"keep\",\"image\":\"tiny\"}", 409, "already exists"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"x\",\"image\":\"nope\"}", 404, "image 'nope' not found"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"x\"}", 400, "either an image"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"x\",\"kernel\":\"relative/vmlinuz\"}", 400, "absolute"),
            new Bad("POST", "/api/v1/vms", "{\"name\":\"x\",\"kernel\":\"/etc\"}", 400, "not a regular file"),
            new Bad(
                    "POST",
                    "/api/v1/vms",
                    "{\"name\":\"x\",\"disks\":[{\"path\":\"/etc/hostname\",\"format\":\"vmdk\"}]}",
                    400,
                    "format"),
            new Bad(
                    "POST",
                    "/api/v1/vms",
                    "{\"name\":\"x\",\"image\":\"tiny\",\"" + HUGE + "\":1}",
                    413,
                    "larger than"),
            // Jetty refuses an encoded path separator outright (it could only be an attempt to leave the path)
            new Bad("GET", "/api/v1/instances/..%2F..%2Fetc", null, 400, "Ambiguous URI path separator"),
            new Bad("GET", "/api/v1/instances?kind=cow", null, 400, "kind"),
            new Bad("POST", "/api/v1/instances/keep/start", null, 409, "running"),
            new Bad("POST", "/api/v1/instances/idle/stop", null, 409, "created"),
            new Bad("POST", "/api/v1/instances/keep/stop?timeout=-5", null, 400, "timeout"),
            new Bad("POST", "/api/v1/instances/keep/stop?timeout=abc", null, 400, "timeout"),
            new Bad("DELETE", "/api/v1/instances/keep", null, 409, "stop it first"),
            new Bad("DELETE", "/api/v1/images/tiny", null, 409, "used by"),
            new Bad(
                    "POST",
                    "/api/v1/images/import",
                    "{\"name\":\"evil\",\"path\":\"/etc/../etc/shadow\",\"format\":\"qcow2\"}",
                    400,
                    "is raw, not qcow2"),
            new Bad(
                    "POST",
                    "/api/v1/images/import",
                    "{\"name\":\"Evil!\",\"path\":\"/etc/hostname\"}",
                    400,
                    "not a valid name"),
            new Bad("GET", "/api/v1/tasks/does-not-exist", null, 404, "not found"),
            new Bad("PUT", "/api/v1/instances/keep", null, 405, "not allowed"),
            new Bad("GET", "/api/v1/nothing-here", null, 404, "no route"));

    @Test
    void everyMalformedRequestGetsAClear4xxAndChangesNothing() {
        JsonNode before = daemon.get("/api/v1/instances");
        for (Bad b : BATCH) {
            var r = daemon.client()
                    .call(
                            b.method(),
                            b.path(),
                            b.body() == null ? null : b.body().getBytes(StandardCharsets.UTF_8));
            assertThat(r.status())
                    .as("%s %s %s -> %s", b.method(), b.path(), abbreviate(b.body()), r.text())
                    .isEqualTo(b.status());
            assertThat(r.headers().get("Content-Type")).isEqualTo("application/problem+json");
            JsonNode p = Json.tree(r.text());
            assertThat(p.path("type").asText()).startsWith("urn:vessel:problem:");
            assertThat(p.path("detail").asText())
                    .as("%s %s", b.method(), b.path())
                    .contains(b.detailContains());
        }
        JsonNode after = daemon.get("/api/v1/instances");
        assertThat(strip(after)).isEqualTo(strip(before));
        assertThat(daemon.get("/api/v1/images").size()).isEqualTo(2);
        assertThat(daemon.instance("keep").path("status").asText()).isEqualTo("running");
        assertThat(daemon.client().call("GET", "/api/v1/ping", null).status()).isEqualTo(200);
    }

    /** Live memory figures move on their own; everything else must be identical. */
    static String strip(JsonNode list) {
        for (JsonNode i : list) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) i).remove("memory");
        }
        return list.toString();
    }

    static String abbreviate(String s) {
        return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
