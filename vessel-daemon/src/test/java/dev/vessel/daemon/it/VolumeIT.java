package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Volumes through the API: create, import (file and a download from 127.0.0.1), attach cold and hot, resize live, detach. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class VolumeIT {
    static DaemonProcess daemon;
    static Path scratch;
    final ProcessRunner proc = new ProcessRunner();

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess().start();
        TinyImageSupport.ensure(daemon);
        scratch = Files.createTempDirectory(Path.of("/tmp"), "vvol-");
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        AtomicFiles.deleteTree(scratch);
    }

    static int status(String method, String path, String body) {
        return daemon.client()
                .call(method, path, body == null ? null : body.getBytes())
                .status();
    }

    static String partitions(String vm) throws Exception {
        return GuestShell.run(daemon, vm, "cat /proc/partitions");
    }

    @Test
    void createListResizeAndRefuseNonsense() {
        assertThat(status("POST", "/api/v1/volumes", "{\"name\":\"v-q\",\"size\":\"64M\"}"))
                .isEqualTo(201);
        assertThat(status(
                        "POST",
                        "/api/v1/volumes",
                        "{\"name\":\"v-r\",\"size\":\"16M\",\"format\":\"raw\",\"preallocation\":\"falloc\"}"))
                .isEqualTo(201);
        JsonNode r = daemon.get("/api/v1/volumes/v-r");
        assertThat(r.path("allocatedSize").asLong()).isGreaterThanOrEqualTo(16L << 20);
        assertThat(daemon.get("/api/v1/volumes/v-q").path("allocatedSize").asLong())
                .isLessThan(1L << 20);
        assertThat(daemon.get("/api/v1/volumes"))
                .extracting(v -> v.path("name").asText())
                .contains("v-q", "v-r");

        assertThat(status("POST", "/api/v1/volumes", "{\"name\":\"v-q\",\"size\":\"1G\",\"format\":\"raw\"}"))
                .as("taken")
                .isEqualTo(409);
        assertThat(status("POST", "/api/v1/volumes", "{\"name\":\"big\",\"size\":\"99999999999999999999G\"}"))
                .as("overflow")
                .isEqualTo(400);
        assertThat(status("POST", "/api/v1/volumes", "{\"name\":\"big\",\"size\":\"8E\"}"))
                .isEqualTo(400);
        assertThat(status("POST", "/api/v1/volumes", "{\"name\":\"odd\",\"size\":\"1000\"}"))
                .isEqualTo(400);
        assertThat(status("POST", "/api/v1/volumes", "{\"name\":\"fmt\",\"size\":\"1G\",\"format\":\"vmdk\"}"))
                .isEqualTo(400);
        assertThat(status("POST", "/api/v1/volumes", "{\"name\":\"../x\",\"size\":\"1G\"}"))
                .isEqualTo(400);
        assertThat(status("POST", "/api/v1/volumes", "{\"name\":\"p\",\"size\":\"1G\",\"pool\":\"nosuch\"}"))
                .isEqualTo(404);

        assertThat(daemon.post("/api/v1/volumes/v-q/resize", "{\"size\":\"+64M\"}")
                        .status())
                .isEqualTo(200);
        assertThat(daemon.get("/api/v1/volumes/v-q").path("virtualSize").asLong())
                .isEqualTo(128L << 20);
        assertThat(daemon.post("/api/v1/volumes/v-q/resize", "{\"size\":\"32M\"}")
                        .status())
                .as("shrink needs force")
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/volumes/v-q/resize", "{\"size\":\"32M\",\"force\":true}")
                        .status())
                .isEqualTo(200);
        assertThat(daemon.get("/api/v1/volumes/v-q").path("virtualSize").asLong())
                .isEqualTo(32L << 20);
        assertThat(daemon.post("/api/v1/volumes/v-q/resize", "{\"size\":\"+9E\"}")
                        .status())
                .isEqualTo(400);
        assertThat(status("DELETE", "/api/v1/volumes/v-r", null)).isEqualTo(204);
        assertThat(status("GET", "/api/v1/volumes/v-r", null)).isEqualTo(404);
    }

    @Test
    void importsFilesAndRefusesHostileOnes() throws Exception {
        Path vmdk = scratch.resolve("disk.vmdk");
        proc.run(List.of("qemu-img", "create", "-q", "-f", "vmdk", vmdk.toString(), "32M"), Duration.ofSeconds(30));
        JsonNode t = daemon.okTask("/api/v1/volumes/import", "{\"name\":\"from-vmdk\",\"path\":\"" + vmdk + "\"}");
        assertThat(daemon.get("/api/v1/volumes/from-vmdk").path("format").asText())
                .isEqualTo("qcow2");
        assertThat(t.path("message").asText()).contains("from-vmdk");

        Path hostile = scratch.resolve("hostile.qcow2");
        proc.run(
                List.of(
                        "qemu-img",
                        "create",
                        "-q",
                        "-f",
                        "qcow2",
                        "-u",
                        "-F",
                        "raw",
                        "-b",
                        "/etc/shadow",
                        hostile.toString(),
                        "1M"),
                Duration.ofSeconds(30));
        var r = daemon.post("/api/v1/volumes/import", "{\"name\":\"evil\",\"path\":\"" + hostile + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("backing file outside");
        assertThat(daemon.post(
                                "/api/v1/volumes/import",
                                "{\"name\":\"evil\",\"path\":\"" + vmdk + "\",\"format\":\"raw\"}")
                        .status())
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/volumes/import", "{\"name\":\"evil\",\"path\":\"relative.img\"}")
                        .status())
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/volumes/import", "{\"name\":\"evil\"}").status())
                .isEqualTo(400);
        assertThat(status("GET", "/api/v1/volumes/evil", null)).isEqualTo(404);
    }

    @Test
    void downloadsFromLoopbackWithHashAndResume() throws Exception {
        Path img = scratch.resolve("dl.qcow2");
        proc.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", img.toString(), "48M"), Duration.ofSeconds(30));
        byte[] content = Files.readAllBytes(img);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        var cut = new AtomicBoolean(true);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/dl.qcow2", ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            if (from > 0) {
                ex.getResponseHeaders()
                        .add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            }
            ex.getResponseHeaders().add("ETag", "\"x\"");
            ex.sendResponseHeaders(from > 0 ? 206 : 200, content.length - from);
            try (var out = ex.getResponseBody()) {
                int n = cut.getAndSet(false) ? (content.length - from) / 2 : content.length - from;
                out.write(content, from, n);
                if (n < content.length - from) {
                    throw new java.io.IOException("dropped");
                }
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/dl.qcow2";
            JsonNode first = daemon.task(
                    "/api/v1/volumes/import", "{\"name\":\"dl\",\"url\":\"" + url + "\",\"sha256\":\"" + sha + "\"}");
            assertThat(first.path("state").asText()).isEqualTo("failed");
            assertThat(first.path("error").path("detail").asText()).contains("resume");
            JsonNode second = daemon.okTask(
                    "/api/v1/volumes/import", "{\"name\":\"dl\",\"url\":\"" + url + "\",\"sha256\":\"" + sha + "\"}");
            var log = daemon.get("/api/v1/tasks/" + second.path("id").asText() + "/log");
            assertThat(log.toString()).contains("resumed at").contains(sha);
            assertThat(daemon.get("/api/v1/volumes/dl").path("virtualSize").asLong())
                    .isEqualTo(48L << 20);
            JsonNode wrong = daemon.task(
                    "/api/v1/volumes/import",
                    "{\"name\":\"dl2\",\"url\":\"" + url + "\",\"sha256\":\"" + "0".repeat(64) + "\"}");
            assertThat(wrong.path("state").asText()).isEqualTo("failed");
            assertThat(wrong.path("error").path("detail").asText()).contains("SHA-256");
            assertThat(status("GET", "/api/v1/volumes/dl2", null)).isEqualTo(404);
            assertThat(daemon.post("/api/v1/volumes/import", "{\"name\":\"x\",\"url\":\"file:///etc/passwd\"}")
                            .status())
                    .isEqualTo(400);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void volumesAttachColdAndHotAndResizeLive() throws Exception {
        assertThat(status("POST", "/api/v1/volumes", "{\"name\":\"cold\",\"size\":\"32M\"}"))
                .isEqualTo(201);
        assertThat(status("POST", "/api/v1/volumes", "{\"name\":\"hot\",\"size\":\"48M\",\"format\":\"raw\"}"))
                .isEqualTo(201);
        GuestShell.createDiskVm(daemon, "att", "");
        assertThat(daemon.post("/api/v1/instances/att/volumes", "{\"volume\":\"cold\"}")
                        .status())
                .isEqualTo(200);
        assertThat(daemon.get("/api/v1/volumes/cold").path("attachedTo").asText())
                .isEqualTo("att");
        GuestShell.start(daemon, "att");
        assertThat(partitions("att")).contains("vdb").contains("32768 vdb");

        // Hot-plug while it runs; the guest sees the disk once its PCIe hot-plug driver has powered the slot on (native
        // hot-plug, see the NIC naming in docs/architecture.md: about a second).
        assertThat(daemon.post("/api/v1/instances/att/volumes", "{\"volume\":\"hot\"}")
                        .status())
                .isEqualTo(200);
        assertThat(GuestShell.run(
                        daemon,
                        "att",
                        "for i in $(seq 1 20); do grep -q vdc /proc/partitions && break; sleep 0.5; done;"
                                + " cat /proc/partitions"))
                .contains("49152 vdc");
        GuestShell.run(daemon, "att", "echo hello-volume > /dev/vdc; sync");
        // Grown live: the guest sees the new size without a reboot.
        assertThat(daemon.post("/api/v1/volumes/hot/resize", "{\"size\":\"64M\"}")
                        .status())
                .isEqualTo(200);
        assertThat(partitions("att")).contains("65536 vdc");
        assertThat(daemon.post("/api/v1/volumes/hot/resize", "{\"size\":\"32M\",\"force\":true}")
                        .status())
                .as("no shrink while running")
                .isEqualTo(409);

        assertThat(status("DELETE", "/api/v1/volumes/hot", null)).as("attached").isEqualTo(409);
        assertThat(daemon.post("/api/v1/instances/att/volumes", "{\"volume\":\"hot\"}")
                        .status())
                .as("already attached")
                .isEqualTo(409);
        assertThat(daemon.post("/api/v1/instances/att/volumes", "{\"volume\":\"nosuch\"}")
                        .status())
                .isEqualTo(404);

        // Hot-unplug both, the cold-plugged one too (it sits on its own root port).
        assertThat(status("DELETE", "/api/v1/instances/att/volumes/hot", null)).isEqualTo(204);
        assertThat(status("DELETE", "/api/v1/instances/att/volumes/cold", null)).isEqualTo(204);
        assertThat(partitions("att")).doesNotContain("vdb").doesNotContain("vdc");
        assertThat(status("DELETE", "/api/v1/instances/att/volumes/cold", null)).isEqualTo(404);
        String data = new String(
                Files.readAllBytes(
                        Path.of(daemon.get("/api/v1/volumes/hot").path("path").asText())),
                0,
                20);
        assertThat(data).startsWith("hello-volume");
        assertThat(daemon.get("/api/v1/volumes/hot").path("attachedTo").isNull())
                .isTrue();
        assertThat(status("DELETE", "/api/v1/volumes/hot", null)).isEqualTo(204);

        // Removing a VM keeps the volumes it had.
        var again = daemon.post("/api/v1/instances/att/volumes", "{\"volume\":\"cold\"}");
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(status("DELETE", "/api/v1/instances/att?force=true", null)).isEqualTo(204);
        assertThat(daemon.get("/api/v1/volumes/cold").path("attachedTo").isNull())
                .isTrue();
        assertThat(status("DELETE", "/api/v1/volumes/cold", null)).isEqualTo(204);
    }
}
