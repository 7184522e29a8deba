package dev.vessel.qemu.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.host.ProcessRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the tiny image for real (or reuses the cached build) and boots it under TCG. Boots are few on purpose: the
 * diskless guest is booted once for readiness, HTTP over DHCP-configured networking and ACPI power-off together.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@Timeout(600)
class TinyGuestBootTest {
    /** Bounds waiting on a shared two-core host; the boots take a few seconds. */
    static final Duration READY_WITHIN = Duration.ofSeconds(60);

    static final Duration EXIT_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private GuestVm vm;

    @AfterEach
    void killQemu() throws Exception {
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void theTinyGuestGetsReadyServesItsHostnameOverDhcpNetworkingAndPowersOffOnTheAcpiButton() throws Exception {
        TinyImage image = TestImages.tiny();
        int port = GuestVm.freePort();
        vm = GuestVm.boot(dir, image, image.initrd(), "web1", GuestVm.userNet(port));

        Duration ready = vm.awaitConsoleLine(image.readyMarker(), READY_WITHIN);
        System.out.println("tiny guest: " + image.readyMarker() + " after " + ready.toMillis() + " ms under TCG");

        var http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        var page = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>web1</h1>");

        // Every driver module loaded (init says "vessel-init: ..." only when something failed), and the balloon
        // driver really answers: QEMU sees the guest give memory back.
        assertThat(vm.consoleLines()).noneMatch(l -> l.startsWith("vessel-init:"));
        vm.hmp("balloon 200");
        vm.awaitHmp("info balloon", "actual=200", Duration.ofSeconds(30));
        // An attached console gets a prompt.
        vm.awaitConsoleText("web1:/# ", Duration.ofSeconds(20));

        vm.hmp("system_powerdown");
        Duration exit = vm.awaitExit(EXIT_WITHIN);
        System.out.println("tiny guest: QEMU exited " + exit.toMillis() + " ms after system_powerdown");
        assertThat(vm.exitValue()).isZero();
        assertThat(vm.consoleLines()).anyMatch(l -> l.contains("reboot: Power down"));
    }

    @Test
    void theDiskGuestKeepsItsMarkerAcrossAPowerCycle() throws Exception {
        TinyImage image = TestImages.tiny();
        // An overlay keeps the cached base image pristine for the next run.
        Path disk = dir.resolve("root.qcow2");
        new ProcessRunner()
                .run(
                        Duration.ofSeconds(30),
                        "qemu-img",
                        "create",
                        "-q",
                        "-f",
                        "qcow2",
                        "-b",
                        image.rootDisk().toString(),
                        "-F",
                        "qcow2",
                        disk.toString());
        int port = GuestVm.freePort();
        var extra = new java.util.ArrayList<>(GuestVm.userNet(port));
        extra.addAll(GuestVm.disk(disk));

        vm = GuestVm.boot(dir.resolve("boot1"), image, image.diskInitrd(), "db1", extra);
        Duration ready = vm.awaitConsoleLine(image.readyMarker(), READY_WITHIN);
        System.out.println("disk guest: " + image.readyMarker() + " after " + ready.toMillis() + " ms under TCG");
        assertThat(vm.consoleLines()).contains("VESSEL-MARKER=");

        var http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThat(get(http, port, "/cgi-bin/marker?set=abc").body()).isEqualTo("abc");
        assertThat(get(http, port, "/cgi-bin/marker").body()).isEqualTo("abc");
        assertThat(get(http, port, "/cgi-bin/marker?set=no%20spaces").statusCode())
                .isEqualTo(400);
        var churn = get(http, port, "/cgi-bin/write?n=64");
        assertThat(churn.statusCode()).isEqualTo(200);
        assertThat(churn.body().strip()).isEqualTo(Integer.toString(64 * 1024));

        vm.hmp("system_powerdown");
        vm.awaitExit(EXIT_WITHIN);
        vm.close();

        vm = GuestVm.boot(dir.resolve("boot2"), image, image.diskInitrd(), "db1", GuestVm.disk(disk));
        vm.awaitConsoleLine(image.readyMarker(), READY_WITHIN);
        List<String> lines = vm.consoleLines();
        assertThat(lines).contains("VESSEL-MARKER=abc");
        assertThat(lines.indexOf("VESSEL-MARKER=abc")).isLessThan(lines.indexOf(image.readyMarker()));
        vm.hmp("system_powerdown");
        vm.awaitExit(EXIT_WITHIN);

        // The power button path remounts the root read-only, so the journal has nothing left to replay.
        Path raw = dir.resolve("root.raw");
        new ProcessRunner()
                .run(Duration.ofSeconds(60), "qemu-img", "convert", "-q", "-O", "raw", disk.toString(), raw.toString());
        var fsck = new ProcessRunner()
                .exec(
                        List.of(TinyImageBuilder.tool("e2fsck"), "-fn", raw.toString()),
                        Duration.ofSeconds(60),
                        null,
                        null);
        assertThat(fsck.exitCode()).as(fsck.stdout() + fsck.stderr()).isZero();
        assertThat(fsck.stdout() + fsck.stderr()).doesNotContain("journal recovery");
        Files.delete(raw);
    }

    @Test
    void aSecondBuildReusesTheUpToDateImage() throws Exception {
        TinyImage first = TestImages.tiny();
        long before = Files.getLastModifiedTime(first.initrd()).toMillis();
        var messages = new java.util.ArrayList<String>();
        TinyImage again = new TinyImageBuilder().build(TestImages.DIR, (f, m) -> messages.add(m));
        assertThat(again).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(again.initrd()).toMillis()).isEqualTo(before);
        assertThat(messages).anyMatch(m -> m.contains("up to date"));
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
