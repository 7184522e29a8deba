package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Containers' named volumes are listed with their size and users, refused for removal while mounted, and pruned. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class NamedVolumeIT {
    static DaemonProcess daemon;
    static Path work;
    static String image;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess().start();
        work = Files.createTempDirectory(Path.of("/tmp"), "vnamed-");
        image = ContainerSupport.load(
                daemon, work, "test/vol:1", t -> t.set("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin")));
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    static int status(String method, String path) {
        return daemon.client()
                .call(method, path, method.equals("POST") ? new byte[0] : null)
                .status();
    }

    @Test
    void namedVolumesAreListedRefusedWhileMountedAndPruned() throws Exception {
        ContainerSupport.runToEnd(
                daemon,
                "{\"name\":\"writer\",\"image\":\"" + image + "\",\"volumes\":[\"keep:/data\"],"
                        + "\"command\":[\"sh\",\"-c\",\"head -c 5000 /dev/zero > /data/blob\"]}");
        ContainerSupport.runToEnd(
                daemon,
                "{\"name\":\"gone\",\"image\":\"" + image + "\",\"volumes\":[\"scratch:/s\"],\"command\":[\"true\"]}");
        daemon.client().call("DELETE", "/api/v1/instances/gone", null);

        JsonNode list = daemon.get("/api/v1/container-volumes");
        assertThat(list).extracting(v -> v.path("name").asText()).containsExactly("keep", "scratch");
        JsonNode keep = daemon.get("/api/v1/container-volumes/keep");
        assertThat(keep.path("sizeBytes").asLong()).isEqualTo(5000);
        assertThat(keep.path("usedBy")).extracting(JsonNode::asText).containsExactly("writer");

        var refused = daemon.client().call("DELETE", "/api/v1/container-volumes/keep", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text()).contains("writer");
        assertThat(status("GET", "/api/v1/container-volumes/nosuch")).isEqualTo(404);
        assertThat(status("DELETE", "/api/v1/container-volumes/..%2Fetc")).isEqualTo(400);

        JsonNode pruned = tree(daemon.client()
                .call("POST", "/api/v1/container-volumes/prune", new byte[0])
                .text());
        assertThat(pruned.path("removed")).extracting(JsonNode::asText).containsExactly("scratch");
        daemon.client().call("DELETE", "/api/v1/instances/writer", null);
        assertThat(status("DELETE", "/api/v1/container-volumes/keep")).isEqualTo(204);
        assertThat(daemon.get("/api/v1/container-volumes")).isEmpty();
        assertThat(daemon.dataDir().resolve("container-volumes/keep")).doesNotExist();
    }

    static JsonNode tree(String text) {
        return dev.vessel.host.Json.tree(text);
    }
}
