package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The event stream carries each family the issue names — created, started, stopped with its reason, oom, adopted,
 * task progress, storage changes — keeps them for a resumable window, filters on the server, and speaks SSE with ids
 * a client resumes from with Last-Event-ID.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class EventStreamIT {
    static DaemonProcess daemon;
    static Path work;
    static String image;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess().start();
        work = Files.createTempDirectory(Path.of("/tmp"), "vevents-");
        image = ContainerSupport.load(
                daemon, work, "test/events:1", t -> t.set("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin")));
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    static List<JsonNode> events(String query) {
        var out = new ArrayList<JsonNode>();
        daemon.get("/api/v1/events?since=0" + query).forEach(out::add);
        return out;
    }

    static boolean has(List<JsonNode> events, String type, String name) {
        return events.stream()
                .anyMatch(e -> e.path("type").asText().equals(type)
                        && e.path("name").asText().equals(name));
    }

    @Test
    void everyFamilyIsOnTheStreamAndSseResumesFromTheLastId() throws Exception {
        ContainerSupport.create(
                daemon, "{\"name\":\"ev\",\"image\":\"" + image + "\",\"command\":[\"sleep\",\"1000\"]}");
        ContainerSupport.start(daemon, "ev");
        ContainerSupport.runToEnd(
                daemon,
                "{\"name\":\"hungry\",\"image\":\"" + image + "\",\"memory\":\"8M\","
                        + "\"command\":[\"sh\",\"-c\",\"x=0123456789; while :; do x=$x$x; done\"]}");
        daemon.kill9();
        daemon.start();
        assertThat(daemon.post("/api/v1/volumes", "{\"name\":\"ev-vol\",\"size\":\"16M\"}")
                        .status())
                .isEqualTo(201);
        daemon.okTask("/api/v1/instances/ev/stop?timeout=1", null);

        var all = events("");
        assertThat(has(all, "created", "ev")).isTrue();
        assertThat(all)
                .anyMatch(e -> e.path("type").asText().equals("created")
                        && e.path("kind").asText().equals("container"));
        assertThat(has(all, "started", "ev")).isTrue();
        assertThat(has(all, "oom", "hungry")).as("the OOM kill").isTrue();
        assertThat(has(all, "adopted", "ev"))
                .as("taken back after the daemon's SIGKILL")
                .isTrue();
        assertThat(has(all, "volume-created", "ev-vol")).isTrue();
        assertThat(all).anyMatch(e -> e.path("type").asText().equals("task-progress"));
        assertThat(all)
                .anyMatch(e -> e.path("type").asText().equals("stopped")
                        && e.path("name").asText().equals("ev")
                        && !e.path("data").path("reason").asText().isEmpty());

        // filters on the server
        var created = events("&type=created&kind=container");
        assertThat(created)
                .isNotEmpty()
                .allMatch(e -> e.path("type").asText().equals("created")
                        && e.path("kind").asText().equals("container"));
        assertThat(events("&name=hungry"))
                .isNotEmpty()
                .allMatch(e -> e.path("name").asText().equals("hungry"));

        // SSE: id is the sequence number; Last-Event-ID resumes after it
        long middle = all.get(all.size() / 2).path("seq").asLong();
        var s = daemon.client().stream(
                "GET", "/api/v1/events", Map.of("Accept", "text/event-stream", "Last-Event-ID", Long.toString(middle)));
        assertThat(s.headers().get("Content-Type")).startsWith("text/event-stream");
        try (s;
                var r = new BufferedReader(new InputStreamReader(s.body(), StandardCharsets.UTF_8))) {
            String id = r.readLine();
            String event = r.readLine();
            String data = r.readLine();
            assertThat(r.readLine()).isEmpty();
            assertThat(id).isEqualTo("id: " + (middle + 1));
            JsonNode e = Json.tree(data.substring("data: ".length()));
            assertThat(e.path("seq").asLong()).isEqualTo(middle + 1);
            assertThat(event).isEqualTo("event: " + e.path("type").asText());
        }
        assertThat(daemon.client()
                        .call("GET", "/api/v1/events?format=xml", null)
                        .status())
                .isEqualTo(400);
        var bad = daemon.client().stream("GET", "/api/v1/events?format=sse", Map.of("Last-Event-ID", "minus-one"));
        assertThat(bad.status()).isEqualTo(400);
        bad.close();
    }
}
