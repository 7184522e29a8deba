package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import dev.vessel.http.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Image import, forced acceleration, stop timeouts, restart, following logs, and the TCP listener. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class OptionsIT {
    static DaemonProcess daemon;
    static int port;
    static Path files;

    @BeforeAll
    static void start() throws Exception {
        port = DaemonProcess.freeLoopbackPort();
        daemon = new DaemonProcess("--tcp-listen", "127.0.0.1:" + port).start();
        TinyImageSupport.ensure(daemon);
        files = Files.createTempDirectory(Path.of("/tmp"), "vi-");
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        dev.vessel.host.AtomicFiles.deleteTree(files);
    }

    static void run(String... argv) {
        new ProcessRunner().run(List.of(argv), Duration.ofMinutes(2));
    }

    @Test
    void diskImagesAreValidatedWithQemuImgAndConvertedWhenAsked() throws Exception {
        run("qemu-img", "create", "-q", "-f", "qcow2", files.resolve("a.qcow2").toString(), "64M");
        run("qemu-img", "create", "-q", "-f", "vmdk", files.resolve("b.vmdk").toString(), "32M");
        Files.createDirectories(files.resolve("iso"));
        Files.writeString(files.resolve("iso/hello.txt"), "hi");
        run(
                "xorriso",
                "-as",
                "mkisofs",
                "-quiet",
                "-o",
                files.resolve("c.iso").toString(),
                files.resolve("iso").toString());
        run(
                "qemu-img",
                "create",
                "-q",
                "-f",
                "qcow2",
                "-F",
                "raw",
                "-b",
                "/etc/hostname",
                files.resolve("evil.qcow2").toString());
        Files.writeString(files.resolve("text.img"), "not an image at all");

        daemon.okTask("/api/v1/images/import", "{\"name\":\"qa\",\"path\":\"" + files.resolve("a.qcow2") + "\"}");
        daemon.okTask("/api/v1/images/import", "{\"name\":\"vb\",\"path\":\"" + files.resolve("b.vmdk") + "\"}");
        daemon.okTask(
                "/api/v1/images/import",
                "{\"name\":\"rb\",\"path\":\"" + files.resolve("a.qcow2") + "\",\"convert\":\"raw\"}");
        daemon.okTask("/api/v1/images/import", "{\"name\":\"iso\",\"path\":\"" + files.resolve("c.iso") + "\"}");
        assertThat(daemon.get("/api/v1/images/qa").path("diskFormat").asText()).isEqualTo("qcow2");
        assertThat(daemon.get("/api/v1/images/vb").path("diskFormat").asText())
                .as("vmdk is stored as qcow2")
                .isEqualTo("qcow2");
        assertThat(daemon.get("/api/v1/images/rb").path("diskFormat").asText()).isEqualTo("raw");
        assertThat(daemon.get("/api/v1/images/iso").path("type").asText()).isEqualTo("iso");
        JsonNode info = Json.tree(new ProcessRunner()
                .run(
                        List.of(
                                "qemu-img",
                                "info",
                                "--output",
                                "json",
                                daemon.get("/api/v1/images/vb").path("disk").asText()),
                        Duration.ofSeconds(30))
                .stdout());
        assertThat(info.path("format").asText()).isEqualTo("qcow2");
        // Both sizes: the disk as the guest sees it, and what it takes here (a new qcow2 holds almost nothing).
        JsonNode qa = daemon.get("/api/v1/images/qa");
        assertThat(qa.path("virtualSizeBytes").asLong()).isEqualTo(64L << 20);
        assertThat(qa.path("sizeBytes").asLong()).isPositive().isLessThan(1L << 20);
        JsonNode rb = daemon.get("/api/v1/images/rb");
        assertThat(rb.path("virtualSizeBytes").asLong()).isEqualTo(64L << 20);
        assertThat(rb.path("sizeBytes").asLong())
                .as("a sparse raw copy of an empty disk")
                .isLessThan(1L << 20);
        assertThat(daemon.get("/api/v1/images/tiny").path("virtualSizeBytes").isNull())
                .as("a kernel image has no disk")
                .isTrue();
        assertThat(daemon.get("/api/v1/images/tiny-disk")
                        .path("virtualSizeBytes")
                        .asLong())
                .isEqualTo(512L << 20);

        var evil = daemon.post(
                "/api/v1/images/import", "{\"name\":\"evil\",\"path\":\"" + files.resolve("evil.qcow2") + "\"}");
        assertThat(evil.status()).isEqualTo(400);
        assertThat(evil.text()).contains("backing file");
        var text = daemon.post(
                "/api/v1/images/import",
                "{\"name\":\"txt\",\"path\":\"" + files.resolve("text.img") + "\",\"format\":\"qcow2\"}");
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.text()).contains("is raw, not qcow2");
        assertThat(daemon.get("/api/v1/images").size()).isEqualTo(6);

        // A VM boots from an imported disk image through a copy-on-write overlay; the image itself is untouched.
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"fromdisk\",\"image\":\"qa\",\"memory\":\"64M\"}")
                        .status())
                .isEqualTo(201);
        daemon.okTask("/api/v1/instances/fromdisk/start", null);
        JsonNode vm = daemon.instance("fromdisk");
        assertThat(vm.path("status").asText()).isEqualTo("running");
        assertThat(vm.path("runtime").path("command").toString()).contains("root.qcow2");
        daemon.okTask("/api/v1/instances/fromdisk/kill", null);
        assertThat(daemon.client().call("DELETE", "/api/v1/images/qa", null).status())
                .isEqualTo(409);
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/fromdisk", null)
                        .status())
                .isEqualTo(204);
        assertThat(daemon.client().call("DELETE", "/api/v1/images/qa", null).status())
                .isEqualTo(204);
    }

    @Test
    void forcedKvmEitherWorksOrFailsWithTheProbesReason() throws Exception {
        assertThat(daemon.post(
                                "/api/v1/vms",
                                "{\"name\":\"kvm\",\"image\":\"tiny\",\"memory\":\"128M\",\"accel\":\"kvm\"}")
                        .status())
                .isEqualTo(201);
        JsonNode t = daemon.task("/api/v1/instances/kvm/start", null);
        JsonNode probe = daemon.get("/api/v1/host").path("accel");
        if (t.path("state").asText().equals("succeeded")) {
            assertThat(daemon.instance("kvm").path("runtime").path("accel").asText())
                    .isEqualTo("kvm");
            daemon.okTask("/api/v1/instances/kvm/kill", null);
        } else {
            assertThat(t.path("error").path("detail").asText()).contains("accel kvm was requested");
            JsonNode vm = daemon.instance("kvm");
            assertThat(vm.path("state").path("reason").asText()).isEqualTo("start-failed");
            assertThat(probe.isNull() || probe.path("accel").asText().equals("tcg"))
                    .isTrue();
        }
        // auto always starts, on whichever accelerator the probe allows, and says why.
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"auto\",\"image\":\"tiny\",\"memory\":\"128M\"}")
                        .status())
                .isEqualTo(201);
        daemon.okTask("/api/v1/instances/auto/start", null);
        assertThat(daemon.instance("auto").path("runtime").path("accelReason").asText())
                .isNotBlank();
        daemon.okTask("/api/v1/instances/auto/kill", null);
    }

    @Test
    void aZeroStopTimeoutKillsAndRestartBringsTheGuestBack() throws Exception {
        assertThat(daemon.post(
                                "/api/v1/vms",
                                "{\"name\":\"rs\",\"image\":\"tiny\",\"memory\":\"128M\",\"stopTimeout\":0}")
                        .status())
                .isEqualTo(201);
        daemon.okTask("/api/v1/instances/rs/start?wait=true", null);
        long pid = daemon.instance("rs").path("runtime").path("pid").asLong();
        daemon.okTask("/api/v1/instances/rs/restart?wait=true", null);
        JsonNode vm = daemon.instance("rs");
        assertThat(vm.path("status").asText()).isEqualTo("running");
        assertThat(vm.path("runtime").path("pid").asLong()).isNotEqualTo(pid);
        JsonNode stop = daemon.okTask("/api/v1/instances/rs/stop", null);
        assertThat(daemon.instance("rs").path("state").path("reason").asText()).isEqualTo("stop-timeout-killed");
        // It says plainly that the guest was killed, after how long, in words and not as a Java record.
        assertThat(stop.path("message").asText()).isEqualTo("killed after the 0 s stop timeout");
        String log = daemon.get("/api/v1/tasks/" + stop.path("id").asText() + "/log")
                .findValuesAsText("line")
                .toString();
        assertThat(log)
                .contains(
                        "stopped (killed after the stop timeout): the guest did not power off within 0 s of the ACPI power button")
                .doesNotContain("Stopped[")
                .doesNotContain("reason=");
        assertThat(daemon.instance("rs").path("state").path("detail").asText()).contains("within 0 s");
    }

    @Test
    void waitingForAVmThatGivesNoSignIsRefusedBeforeItStarts() throws Exception {
        // No ready marker, and no NIC (this daemon has no networks): nothing would tell that the guest is ready.
        Path tiny = daemon.dataDir().resolve("images/tiny");
        var r = daemon.post(
                "/api/v1/vms",
                "{\"name\":\"nosign\",\"memory\":\"128M\",\"kernel\":\"" + tiny.resolve("vmlinuz") + "\",\"initrd\":\""
                        + tiny.resolve("initrd.img") + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        var start = daemon.post("/api/v1/instances/nosign/start?wait=true", null);
        assertThat(start.status()).isEqualTo(400);
        assertThat(start.text()).contains("gives no sign of being ready").contains("--wait-port");
        assertThat(daemon.instance("nosign").path("status").asText())
                .as("nothing started")
                .isEqualTo("created");
        assertThat(daemon.post("/api/v1/instances/nosign/start?wait=true&waitPort=22", null)
                        .status())
                .as("no address to reach")
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/instances/nosign/start?waitPort=22", null)
                        .status())
                .as("a port without --wait")
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/instances/nosign/start?wait=true&waitPort=70000", null)
                        .status())
                .isEqualTo(400);
        assertThat(daemon.instance("nosign").path("status").asText()).isEqualTo("created");
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/nosign", null)
                        .status())
                .isEqualTo(204);
    }

    @Test
    void followingTheLogEndsWhenTheVmStops() throws Exception {
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"lf\",\"image\":\"tiny\",\"memory\":\"128M\"}")
                        .status())
                .isEqualTo(201);
        daemon.okTask("/api/v1/instances/lf/start", null);
        try (var s = daemon.client().stream("GET", "/api/v1/instances/lf/logs?follow=true")) {
            var text = new StringBuilder();
            byte[] b = new byte[4096];
            int n;
            boolean stopped = false;
            while ((n = s.body().read(b)) > 0) {
                text.append(new String(b, 0, n, StandardCharsets.UTF_8));
                if (!stopped && text.toString().contains("VESSEL-READY")) {
                    stopped = true;
                    daemon.post("/api/v1/instances/lf/stop", null);
                }
            }
            assertThat(text.toString()).contains("VESSEL-READY", "Power down");
        }
    }

    @Test
    void theTcpListenerSpeaksTlsWithTheNodesOwnCertificateAndNeedsAToken() throws Exception {
        Path token = daemon.dataDir().resolve("api-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
                .isEqualTo("rw-------");
        var plain = new ApiClient("tcp://127.0.0.1:" + port, null).call("GET", "/api/v1/version", null);
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.text()).contains("speaks HTTPS only");
        var ca = dev.vessel.access.tls.NodeCertificates.parsePem(
                Files.readString(daemon.dataDir().resolve("tls/ca.crt")));
        var trust = dev.vessel.http.PinnedTrust.trusting(ca);
        String endpoint = "https://127.0.0.1:" + port;
        assertThat(new ApiClient(endpoint, null, trust)
                        .call("GET", "/api/v1/instances", null)
                        .status())
                .isEqualTo(401);
        assertThat(new ApiClient(endpoint, "not-the-token", trust)
                        .call("GET", "/api/v1/instances", null)
                        .status())
                .isEqualTo(401);
        assertThat(new ApiClient(endpoint, Files.readString(token).strip(), trust)
                        .call("GET", "/api/v1/instances", null)
                        .status())
                .isEqualTo(200);
    }
}
