package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * UEFI, Secure Boot, TPM 2.0 and the Windows profile, each with real QEMU, Debian's OVMF and swtpm, in VM containers
 * under TCG: OVMF reaches its shell on the serial console; a Linux guest boots through UEFI from an EFI system
 * partition the test made with Debian's GRUB; Secure Boot refuses that unsigned GRUB; swtpm, a second process in the
 * VM's container, takes TPM2_Startup from OVMF; and snapshots, clones and backups carry the variables and the TPM
 * state.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@org.junit.jupiter.api.Timeout(900)
class VmPlatformIT {
    /** TPM2_Startup(SU_CLEAR) as swtpm logs it at level 20: tag 8001, size 12, command code 0x144. */
    static final String TPM2_STARTUP = "80 01 00 00 00 0C 00 00 01 44";

    static DaemonProcess daemon;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess("--tpm-log-level", "20").start();
        TinyImageSupport.ensure(daemon);
        work = Files.createTempDirectory(Path.of("/tmp"), "vplat-it");
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    static JsonNode create(String json) {
        var r = daemon.post("/api/v1/vms", json);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return Json.tree(r.text());
    }

    static String serial(String vm) throws IOException {
        var s = daemon.client().stream("GET", "/api/v1/instances/" + vm + "/logs");
        try (s) {
            return new String(s.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String awaitSerial(String vm, String text, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        String log = "";
        while (System.nanoTime() < deadline) {
            log = serial(vm);
            if (log.contains(text)) {
                return log;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(vm + " never printed '" + text + "'; its serial console:\n" + log);
    }

    static Path stateDir(String vm) {
        return daemon.dataDir()
                .resolve("instances")
                .resolve(daemon.instance(vm).path("id").asText());
    }

    static void startVm(String vm) {
        daemon.okTask("/api/v1/instances/" + vm + "/start", null);
    }

    static void killVm(String vm) {
        daemon.okTask("/api/v1/instances/" + vm + "/kill", null);
    }

    /** The two qcow2 images hold the same data (qemu-img compare exits 0). */
    static void assertSameImage(Path a, Path b) throws Exception {
        EspImages.run(List.of("qemu-img", "compare", "-f", "qcow2", "-F", "qcow2", a.toString(), b.toString()));
    }

    static Path tinyEsp() throws Exception {
        var tiny = daemon.get("/api/v1/images/tiny");
        return EspImages.linux(
                work.resolve("esp"),
                Path.of(tiny.path("kernel").asText()),
                Path.of(tiny.path("initrd").asText()),
                tiny.path("cmdline").asText());
    }

    @Test
    void ovmfReachesItsShellALinuxGuestBootsThroughUefiAndSecureBootRefusesAnUnsignedLoader() throws Exception {
        create("{\"name\":\"shell\",\"firmware\":\"uefi\",\"disks\":[{\"size\":\"64M\"}],\"accel\":\"tcg\"}");
        var spec = daemon.instance("shell").path("spec");
        assertThat(spec.path("platform").path("firmware").asText()).isEqualTo("uefi");
        assertThat(Files.size(stateDir("shell").resolve("disks/efivars.qcow2"))).isPositive();
        startVm("shell");
        awaitSerial("shell", "Shell>", Duration.ofMinutes(3));
        killVm("shell");

        Path esp = tinyEsp();
        String marker = daemon.get("/api/v1/images/tiny").path("readyMarker").asText();
        create("{\"name\":\"efilinux\",\"firmware\":\"uefi\",\"disks\":[{\"path\":\"" + esp
                + "\",\"format\":\"raw\"}],\"accel\":\"tcg\",\"readyMarker\":\"" + marker + "\"}");
        startVm("efilinux");
        String booted = awaitSerial("efilinux", marker, Duration.ofMinutes(4));
        assertThat(booted).contains(EspImages.GRUB_MARKER);
        killVm("efilinux");

        create("{\"name\":\"secure\",\"firmware\":\"uefi-secure\",\"disks\":[{\"path\":\"" + esp
                + "\",\"format\":\"raw\"}],\"accel\":\"tcg\"}");
        var secure = daemon.instance("secure").path("spec").path("platform");
        assertThat(secure.path("secureBootNote").asText()).contains("2011").contains("expired");
        assertThat(secure.path("varsTemplate").asText()).endsWith("OVMF_VARS_4M.ms.fd");
        startVm("secure");
        String refused = awaitSerial("secure", "Access Denied", Duration.ofMinutes(3));
        assertThat(refused).doesNotContain(EspImages.GRUB_MARKER);
        killVm("secure");
    }

    @Test
    void swtpmTakesTpm2StartupInsideTheVmsContainerAndStateTravelsWithSnapshotsClonesAndBackups() throws Exception {
        create(
                "{\"name\":\"tpm\",\"firmware\":\"uefi\",\"tpm\":true,\"disks\":[{\"size\":\"64M\"}],\"accel\":\"tcg\"}");
        Path state = stateDir("tpm");
        byte[] made = Files.readAllBytes(state.resolve("disks/tpm.state"));
        assertThat(made.length).as("swtpm_setup made the state at create").isGreaterThan(1000);
        startVm("tpm");
        var vm = daemon.instance("tpm");
        assertThat(vm.path("runtime").path("tpm").asText()).startsWith("tpm-crb, emulator on swtpm pid ");
        long qemuPid = vm.path("runtime").path("pid").asLong();
        long swtpmPid = Long.parseLong(vm.path("runtime").path("tpm").asText().replaceAll(".* pid ", ""));
        // a second process of the VM's container: its PID namespace and cgroup, QEMU's uid
        assertThat(Files.readSymbolicLink(Path.of("/proc/" + swtpmPid + "/ns/pid")))
                .isEqualTo(Files.readSymbolicLink(Path.of("/proc/" + qemuPid + "/ns/pid")));
        assertThat(Files.readString(Path.of("/proc/" + swtpmPid + "/cgroup")))
                .isEqualTo(Files.readString(Path.of("/proc/" + qemuPid + "/cgroup")));
        assertThat(Files.getAttribute(Path.of("/proc/" + swtpmPid), "unix:uid"))
                .isEqualTo(Files.getAttribute(Path.of("/proc/" + qemuPid), "unix:uid"))
                .isNotEqualTo(0);
        awaitSerial("tpm", "Shell>", Duration.ofMinutes(3));
        assertThat(Files.readString(state.resolve("swtpm.log"))).contains(TPM2_STARTUP);

        // a disk-only snapshot of the running VM keeps the TPM state of its instant
        daemon.okTask("/api/v1/instances/tpm/snapshots", "{\"name\":\"live\"}");
        assertThat(state.resolve("disks/tpm-snapshots/live.state")).exists();
        killVm("tpm");
        // the kernel ends the rest of the PID namespace when its init (QEMU) is gone, a moment after
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(Path.of("/proc/" + swtpmPid + "/ns")) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(Path.of("/proc/" + swtpmPid + "/ns"))
                .as("swtpm goes with QEMU")
                .doesNotExist();

        // stopped: snapshot, change, roll back
        byte[] before = Files.readAllBytes(state.resolve("disks/tpm.state"));
        daemon.okTask("/api/v1/instances/tpm/snapshots", "{\"name\":\"cold\"}");
        assertThat(Files.readAllBytes(state.resolve("disks/tpm-snapshots/cold.state")))
                .isEqualTo(before);
        startVm("tpm");
        awaitSerial("tpm", "Shell>", Duration.ofMinutes(3));
        killVm("tpm");
        Files.write(state.resolve("disks/tpm.state"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        daemon.okTask("/api/v1/instances/tpm/snapshots/cold/rollback", null);
        assertThat(Files.readAllBytes(state.resolve("disks/tpm.state"))).isEqualTo(before);

        // a clone has the same variables and TPM
        daemon.okTask("/api/v1/instances/tpm/clone", "{\"name\":\"tpmclone\",\"mode\":\"full\"}");
        Path clone = stateDir("tpmclone");
        assertThat(Files.readAllBytes(clone.resolve("disks/tpm.state"))).isEqualTo(before);
        assertSameImage(state.resolve("disks/efivars.qcow2"), clone.resolve("disks/efivars.qcow2"));
        assertThat(daemon.instance("tpmclone")
                        .path("spec")
                        .path("platform")
                        .path("tpm")
                        .asBoolean())
                .isTrue();

        // a backup restored as a new VM: the same TPM state and variables, and it boots to the shell with its TPM
        Path archive = work.resolve("tpm.vbk");
        daemon.okTask("/api/v1/instances/tpm/backup", "{\"to\":\"" + archive + "\"}");
        daemon.okTask("/api/v1/backups/restore", "{\"archive\":\"" + archive + "\",\"name\":\"tpmback\"}");
        Path back = stateDir("tpmback");
        assertThat(Files.readAllBytes(back.resolve("disks/tpm.state"))).isEqualTo(before);
        var efivars = efivarsOf("tpmback");
        assertSameImage(state.resolve("disks/efivars.qcow2"), efivars);
        startVm("tpmback");
        awaitSerial("tpmback", "Shell>", Duration.ofMinutes(3));
        assertThat(Files.readString(back.resolve("swtpm.log"))).contains(TPM2_STARTUP);

        // swtpm killed under a running VM: the VM is killed as failed, and says why
        long pid = Long.parseLong(
                daemon.instance("tpmback").path("runtime").path("tpm").asText().replaceAll(".* pid ", ""));
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
        var stopped = ContainerSupport.awaitStatus(daemon, "tpmback", "stopped", Duration.ofMinutes(1));
        assertThat(stopped.toString()).contains("swtpm");
    }

    @Test
    void anIsoBootsAsACdromAndItsMediumChangesWhileTheVmRuns() throws Exception {
        var tiny = daemon.get("/api/v1/images/tiny");
        String marker = tiny.path("readyMarker").asText();
        Path kernel = Path.of(tiny.path("kernel").asText());
        Path initrd = Path.of(tiny.path("initrd").asText());
        String cmdline = tiny.path("cmdline").asText();
        Path one = EspImages.iso(work, "VESSEL-ISO-ONE", kernel, initrd, cmdline);
        Path two = EspImages.iso(work, "VESSEL-ISO-TWO", kernel, initrd, cmdline);
        // the second as an image of the project, downloaded from a URL (on loopback) with its SHA-256; the first as a
        // file of the host
        byte[] twoBytes = Files.readAllBytes(two);
        String sha = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(twoBytes));
        var server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/two.iso", ex -> {
            ex.sendResponseHeaders(200, twoBytes.length);
            try (var out = ex.getResponseBody()) {
                out.write(twoBytes);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/two.iso";
            var wrongSum = daemon.task(
                    "/api/v1/images/import",
                    "{\"name\":\"isobad\",\"url\":\"" + url + "\",\"sha256\":\"" + "0".repeat(64) + "\"}");
            assertThat(wrongSum.path("state").asText()).isEqualTo("failed");
            assertThat(daemon.client()
                            .call("GET", "/api/v1/images/isobad", null)
                            .status())
                    .isEqualTo(404);
            daemon.okTask(
                    "/api/v1/images/import",
                    "{\"name\":\"isotwo\",\"url\":\"" + url + "\",\"sha256\":\"" + sha + "\"}");
        } finally {
            server.stop(0);
        }
        assertThat(daemon.get("/api/v1/images/isotwo").path("type").asText()).isEqualTo("iso");

        create("{\"name\":\"inst\",\"firmware\":\"uefi\",\"disks\":[{\"size\":\"64M\"}],\"cdroms\":[\"" + one
                + "\"],\"accel\":\"tcg\",\"readyMarker\":\"" + marker + "\"}");
        Path copy = Path.of(cdromsOf("inst").getFirst());
        assertThat(copy).startsWith(stateDir("inst").resolve("media"));
        assertThat(Files.readAttributes(copy, "unix:ino").get("ino"))
                .as("hard-linked, not copied")
                .isEqualTo(Files.readAttributes(one, "unix:ino").get("ino"));
        startVm("inst");
        // the blank disk comes first in the boot order and is skipped: the CD boots
        assertThat(awaitSerial("inst", marker, Duration.ofMinutes(4))).contains("VESSEL-ISO-ONE");
        String cmd = daemon.instance("inst").path("runtime").path("command").toString();
        assertThat(cmd).contains("ide-cd,drive=disk1,id=disk1-dev,bus=ide.0,bootindex=1");

        // while it runs: the disc changes in QEMU's drive and in the spec
        var changed = daemon.post("/api/v1/instances/inst/cdrom", "{\"media\":\"isotwo\"}");
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(cdromsOf("inst"))
                .containsExactly(
                        daemon.get("/api/v1/images/isotwo").path("disk").asText());
        killVm("inst");
        startVm("inst");
        assertThat(awaitSerial("inst", "VESSEL-ISO-TWO", Duration.ofMinutes(4))).contains("VESSEL-ISO-TWO");
        // until the kernel is up, GRUB reads it from the disc, and QEMU ejects only once those reads are done
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (serial("inst").split(java.util.regex.Pattern.quote(marker), -1).length < 3
                && System.nanoTime() < until) {
            Thread.sleep(250);
        }

        // ejected: nothing bootable is left, and OVMF ends in its shell
        var cli = ContainerSupport.cli(daemon, null, "vm", "cdrom", "inst", "--eject");
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("CD-ROM none");
        assertThat(cdromsOf("inst")).isEmpty();
        var noDrive = daemon.post("/api/v1/instances/inst/cdrom", "{\"media\":\"isotwo\"}");
        assertThat(noDrive.status())
                .as("the ejected drive is still there, empty: " + noDrive.text())
                .isEqualTo(200);
        daemon.post("/api/v1/instances/inst/cdrom", "{}");
        killVm("inst");
        startVm("inst");
        awaitSerial("inst", "Shell>", Duration.ofMinutes(3));
        killVm("inst");

        assertThat(daemon.post("/api/v1/instances/inst/cdrom", "{\"media\":\"tiny\"}")
                        .text())
                .contains("not an ISO");
        assertThat(daemon.post("/api/v1/instances/inst/cdrom", "{\"media\":\"/etc/hostname\"}")
                        .text())
                .contains("no ISO 9660 signature");
        var bad = daemon.post("/api/v1/vms", "{\"name\":\"b7\",\"cdroms\":[\"nope\"],\"bootOrder\":\"cdrom\"}");
        assertThat(Json.tree(bad.text()).path("field").asText()).isEqualTo("cdroms[0]");
        var order = daemon.post("/api/v1/vms", "{\"name\":\"b8\",\"cdroms\":[\"isotwo\"],\"bootOrder\":\"floppy\"}");
        assertThat(Json.tree(order.text()).path("field").asText()).isEqualTo("bootOrder");
    }

    @Test
    void anUnattendedWindowsSetupGetsItsAnswerFileOnAUsbStickAndThePasswordGoesNowhereElse() throws Exception {
        String password = "Pa55-w0rd-" + Long.toHexString(System.nanoTime());
        String encoded = java.util.Base64.getEncoder()
                .encodeToString((password + "Password").getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        // a stand-in for virtio-win.iso, in its layout, made with xorriso
        Path tree = work.resolve("virtio-win");
        Files.createDirectories(tree.resolve("viostor/w11/amd64"));
        Files.writeString(tree.resolve("viostor/w11/amd64/viostor.inf"), "; the storage driver\n");
        Files.createDirectories(tree.resolve("NetKVM/w11/amd64"));
        Files.writeString(tree.resolve("NetKVM/w11/amd64/netkvm.inf"), "; the network driver\n");
        Files.createDirectories(tree.resolve("viostor/w10/amd64"));
        Files.writeString(tree.resolve("viostor/w10/amd64/not-this-one.inf"), "; for Windows 10\n");
        Path drivers = work.resolve("virtio-win.iso");
        EspImages.run(List.of(
                "xorriso", "-as", "mkisofs", "-quiet", "-V", "virtio-win", "-o", drivers.toString(), tree.toString()));
        Path pwFile = work.resolve("pw.txt");
        Files.writeString(pwFile, password + "\n");

        var cli = ContainerSupport.cli(
                daemon,
                null,
                "vm",
                "create",
                "winst",
                "--os",
                "win11",
                "--disk",
                "64M",
                "--drivers",
                drivers.toString(),
                "--memory",
                "512M",
                "--accel",
                "tcg",
                "--unattend",
                "user=alice,password-file=" + pwFile + ",locale=de-DE");
        assertThat(cli.code()).as(cli.err()).isZero();
        Path img = null;
        for (JsonNode d : daemon.instance("winst").path("spec").path("boot").path("disks")) {
            if (d.path("media").asText().equals("usb")) {
                img = Path.of(d.path("path").asText());
            }
        }
        assertThat(img).as("a USB stick").isNotNull();
        assertThat(Files.getPosixFilePermissions(img))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String xml = EspImages.run(List.of("mtype", "-i", img.toString(), "::/autounattend.xml"));
        assertThat(xml)
                .contains("<Name>alice</Name>")
                .contains("<UILanguage>de-DE</UILanguage>")
                .contains("<Value>" + encoded + "</Value>")
                .contains("<Type>EFI</Type>")
                .doesNotContain(password);
        assertThat(EspImages.run(List.of("mtype", "-i", img.toString(), "::/vessel/firstlogon.cmd")))
                .contains("fDenyTSConnections");
        String listing = EspImages.run(List.of("mdir", "-/", "-b", "-i", img.toString(), "::/drivers"));
        assertThat(listing).contains("viostor.inf").contains("netkvm.inf").doesNotContain("not-this-one");

        startVm("winst");
        var vm = daemon.instance("winst");
        assertThat(vm.path("runtime").path("command").toString()).contains("usb-storage,bus=usb0.0");
        killVm("winst");
        String inspect = ContainerSupport.cli(daemon, null, "inspect", "-o", "json", "winst")
                        .out()
                + daemon.get("/api/v1/instances/winst").toString()
                + daemon.get("/api/v1/tasks?all-projects=true").toString();
        String log = Files.readString(daemon.log());
        for (String secret : List.of(password, encoded)) {
            assertThat(inspect).doesNotContain(secret);
            assertThat(log).doesNotContain(secret);
        }
        try (var files = Files.walk(daemon.dataDir().resolve("access"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(password);
            }
        }
        var linux = daemon.post(
                "/api/v1/vms",
                "{\"name\":\"b9\",\"disks\":[{\"size\":\"64M\"}],\"unattend\":{\"user\":\"a\",\"password\":\"p\"}}");
        assertThat(Json.tree(linux.text()).path("field").asText()).isEqualTo("unattend");
        var badUser = daemon.post(
                "/api/v1/vms",
                "{\"name\":\"b10\",\"os\":\"win10\",\"disks\":[{\"size\":\"64M\"}],\"unattend\":{\"user\":\"a b\",\"password\":\"p\"}}");
        assertThat(Json.tree(badUser.text()).path("field").asText()).isEqualTo("unattend.user");
    }

    @Test
    void vesselVmVncServesTheScreenToALocalViewerBehindItsOwnPassword() throws Exception {
        create("{\"name\":\"screen\",\"image\":\"tiny\",\"display\":\"std\",\"accel\":\"tcg\"}");
        daemon.okTask("/api/v1/instances/screen/start?wait=true", null);
        var argv = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.vessel.cli.VesselCli",
                "-H",
                "unix://" + daemon.socket(),
                "vm",
                "vnc",
                "screen",
                "--once",
                "--listen",
                "127.0.0.1:0",
                "-o",
                "json"));
        Process cli = new ProcessBuilder(argv)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            var reader = new java.io.BufferedReader(
                    new java.io.InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8));
            var json = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                json.append(line).append('\n');
                if (line.equals("}")) {
                    break;
                }
            }
            var served = Json.tree(json.toString());
            String[] at = served.path("listen").asText().split(":");
            String password = served.path("password").asText();
            assertThat(at[0]).isEqualTo("127.0.0.1");

            // a wrong password is turned away
            try (var s = new java.net.Socket(at[0], Integer.parseInt(at[1]))) {
                assertThat(RfbClient.login(s, "wrong-pw")).isFalse();
            }
            try (var s = new java.net.Socket(at[0], Integer.parseInt(at[1]))) {
                assertThat(RfbClient.login(s, password)).isTrue();
                var init = RfbClient.serverInit(s);
                assertThat(init.width()).isPositive();
                assertThat(init.height()).isPositive();
                assertThat(init.name()).contains("screen");
            }
            assertThat(cli.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            cli.destroyForcibly();
        }
        killVm("screen");
    }

    static List<String> cdromsOf(String vm) {
        var out = new java.util.ArrayList<String>();
        for (JsonNode d : daemon.instance(vm).path("spec").path("boot").path("disks")) {
            if (d.path("media").asText().equals("cdrom")) {
                out.add(d.path("path").asText());
            }
        }
        return out;
    }

    static Path efivarsOf(String vm) {
        for (JsonNode d : daemon.instance(vm).path("spec").path("boot").path("disks")) {
            if (d.path("media").asText().equals("efivars")) {
                return Path.of(d.path("path").asText());
            }
        }
        throw new AssertionError(vm + " has no efivars disk");
    }

    @Test
    void aWindows11VmGetsItsHardwareAndOnlyTheEnlightenmentsThisHostTakes() throws Exception {
        create(
                "{\"name\":\"win\",\"os\":\"win11\",\"disks\":[{\"size\":\"64M\"}],\"accel\":\"tcg\",\"memory\":\"512M\"}");
        var spec = daemon.instance("win").path("spec");
        assertThat(spec.path("platform").path("firmware").asText()).isEqualTo("uefi-secure");
        assertThat(spec.path("platform").path("tpm").asBoolean()).isTrue();
        assertThat(spec.path("display").asText()).isEqualTo("std");
        startVm("win");
        var rt = daemon.instance("win").path("runtime");
        assertThat(rt.path("hyperv").path("accepted").toString())
                .contains("hv_relaxed")
                .contains("hv_time");
        assertThat(rt.path("hyperv").path("refused").toString())
                .contains("hv_vpindex")
                .contains("hv_synic")
                .contains("hv_stimer")
                .contains("hv_ipi");
        String cmd = rt.path("command").toString();
        assertThat(cmd)
                .contains("ide-hd,drive=disk0")
                .contains("base=localtime")
                .contains("hpet=off");
        assertThat(cmd).doesNotContain("hv_vpindex");
        var running = daemon.client()
                .call("PATCH", "/api/v1/instances/win", "{\"virtio\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(running.status()).isEqualTo(409);
        killVm("win");

        // once virtio-win is in: the root disk on virtio-scsi from the next start
        var cli = ContainerSupport.cli(daemon, null, "vm", "set", "win", "--virtio", "true");
        assertThat(cli.code()).as(cli.err()).isZero();
        startVm("win");
        assertThat(daemon.instance("win").path("runtime").path("command").toString())
                .contains("virtio-scsi-pci,id=scsi0")
                .contains("scsi-hd,bus=scsi0.0,drive=disk0")
                .doesNotContain("ide-hd");
        killVm("win");
        create("{\"name\":\"linv\",\"disks\":[{\"size\":\"64M\"}]}");
        var linux = daemon.client()
                .call("PATCH", "/api/v1/instances/linv", "{\"virtio\":false}".getBytes(StandardCharsets.UTF_8));
        assertThat(linux.status()).isEqualTo(400);
    }

    @Test
    void badPlatformRequestsAreRefusedByFieldAndLeaveNothingBehind() throws Exception {
        record Bad(String json, String field) {}
        Path tooSmall = work.resolve("vars.fd");
        Files.write(tooSmall, new byte[4096]);
        for (var b : List.of(
                new Bad("{\"name\":\"b1\",\"firmware\":\"efi\",\"disks\":[{\"size\":\"1G\"}]}", "firmware"),
                new Bad("{\"name\":\"b2\",\"os\":\"dos\",\"disks\":[{\"size\":\"1G\"}]}", "os"),
                new Bad(
                        "{\"name\":\"b3\",\"varsTemplate\":\"" + tooSmall + "\",\"disks\":[{\"size\":\"1G\"}]}",
                        "varsTemplate"),
                new Bad(
                        "{\"name\":\"b4\",\"firmware\":\"uefi\",\"varsTemplate\":\"" + tooSmall
                                + "\",\"disks\":[{\"size\":\"1G\"}]}",
                        "varsTemplate"),
                new Bad("{\"name\":\"b5\",\"disks\":[{\"size\":\"0\"}]}", "disks[0].size"),
                new Bad(
                        "{\"name\":\"b6\",\"disks\":[{\"size\":\"1G\",\"path\":\"/etc/hostname\"}]}",
                        "disks[0].size"))) {
            var r = daemon.post("/api/v1/vms", b.json());
            assertThat(r.status()).as(b.json() + " -> " + r.text()).isEqualTo(400);
            assertThat(Json.tree(r.text()).path("field").asText()).as(r.text()).isEqualTo(b.field());
        }
        assertThat(daemon.get("/api/v1/instances").toString())
                .doesNotContain("\"b4\"")
                .doesNotContain("\"b3\"");
        try (var dirs = Files.list(daemon.dataDir().resolve("instances"))) {
            for (Path d : dirs.toList()) {
                assertThat(Files.exists(d.resolve("disks/efivars.qcow2")) && !isKnown(d))
                        .as("left behind: " + d)
                        .isFalse();
            }
        }
    }

    static boolean isKnown(Path dir) {
        return daemon.get("/api/v1/instances")
                .toString()
                .contains(dir.getFileName().toString());
    }
}
