package dev.vessel.qemu.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.host.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestTreesTest {
    static final GuestTrees.Userland USERLAND = new GuestTrees.Userland(
            "ELF".getBytes(StandardCharsets.US_ASCII), List.of("bin/sh", "sbin/init", "usr/bin/wget", "bin/ash"));
    static final GuestTrees.Modules MODULES = new GuestTrees.Modules(
            "6.1.0-56-cloud-amd64",
            List.of(
                    new GuestTrees.ModuleFile("kernel/drivers/virtio/virtio_ring.ko", new byte[] {1}),
                    new GuestTrees.ModuleFile("kernel/drivers/virtio/virtio.ko", new byte[] {2})));

    static String text(FsTree t, String path) {
        return new String(((FsTree.RegularFile) t.get(path)).content(), StandardCharsets.UTF_8);
    }

    @Test
    void initMountsTheKernelFileSystemsAndLoadsTheModuleList() {
        String init = GuestTrees.resource("init");
        assertThat(init).startsWith("#!/bin/sh\n");
        assertThat(init)
                .contains("mount -t proc proc /proc", "mount -t sysfs sysfs /sys", "mount -t devtmpfs devtmpfs /dev");
        assertThat(init).contains("done < /etc/vessel/modules").contains("insmod \"$ko\"");
    }

    @Test
    void initNamesTheGuestFromTheKernelCommandLine() {
        String init = GuestTrees.resource("init");
        assertThat(init)
                .contains("vessel.hostname=*) name=\"${arg#vessel.hostname=}\"")
                .contains("hostname \"$name\"");
    }

    @Test
    void initBringsUpTheNetworkServesHttpAndListensForThePowerButton() {
        String init = GuestTrees.resource("init");
        assertThat(init).contains("ip link set lo up");
        assertThat(init)
                .contains("[ -e /sys/class/net/eth0 ]")
                .contains("udhcpc -i eth0 -s /etc/udhcpc.script -t 10 -T 1 -b");
        assertThat(init).contains("httpd -p 80 -h /www").contains("/www/index.html");
        assertThat(init).contains("acpid -l /var/log/acpid.log");
    }

    @Test
    void initAnnouncesReadinessOnceAndOnlyThenStartsTheConsoleShell() {
        String init = GuestTrees.resource("init");
        assertThat(init).containsOnlyOnce("echo VESSEL-READY");
        assertThat(init.indexOf("echo \"VESSEL-MARKER=")).isLessThan(init.indexOf("echo VESSEL-READY"));
        assertThat(init.indexOf("echo VESSEL-READY")).isLessThan(init.indexOf("setsid cttyhack sh"));
        assertThat(init).contains("[ -f /etc/vessel/persistent ]");
        assertThat(GuestTrees.READY_MARKER).isEqualTo("VESSEL-READY");
    }

    @Test
    void thePowerButtonHandlerPowersOffAtOnceWithoutHoldingTheRootOpen() {
        String handler = GuestTrees.resource("vessel-shutdown");
        assertThat(handler)
                .contains("exec </dev/null >/dev/console 2>&1")
                .contains("mount -o remount,ro /")
                .contains("exec \"$action\" -f");
        assertThat(GuestTrees.resource("power-button")).contains("/sbin/vessel-shutdown poweroff");
    }

    @Test
    void theMarkerCgiAcceptsOnlySafeValuesAndSyncs() {
        String cgi = GuestTrees.resource("cgi-bin/marker");
        assertThat(cgi)
                .contains("*[!A-Za-z0-9_-]*")
                .contains("/var/lib/vessel-marker")
                .contains("sync");
        assertThat(GuestTrees.resource("cgi-bin/write"))
                .contains("/var/lib/churn")
                .contains("bs=1024")
                .contains("sync");
    }

    @Test
    void everyScriptIsValidShell() {
        var runner = new ProcessRunner();
        for (String name : GuestTrees.RESOURCE_NAMES) {
            if (name.equals("profile")) {
                continue; // sourced, not run
            }
            var r = runner.exec(
                    List.of("sh", "-n"),
                    Duration.ofSeconds(10),
                    null,
                    GuestTrees.resource(name).getBytes(StandardCharsets.UTF_8));
            assertThat(r.exitCode()).as(name + ": " + r.stderr()).isZero();
        }
    }

    @Test
    void theAppletListBecomesRelativePathsWithoutTopLevelNames() {
        assertThat(GuestTrees.parseAppletList("usr/bin/[\nsbin/acpid\nlinuxrc\n/bin/sh\nbin/busybox\n\n"))
                .containsExactly("usr/bin/[", "sbin/acpid", "bin/sh");
    }

    @Test
    void theTinyInitramfsHasAConsoleDeviceItsInitTheAppletLinksAndTheModulesInOrder() {
        FsTree t = GuestTrees.tinyInitramfs(USERLAND, MODULES);
        assertThat(t.get("/dev/console")).isEqualTo(new FsTree.CharDevice(0600, 5, 1));
        assertThat(t.get("/init").mode()).isEqualTo(0755);
        assertThat(text(t, "/init")).isEqualTo(GuestTrees.resource("init"));
        assertThat(t.get("/bin/sh")).isEqualTo(new FsTree.Symlink("/bin/busybox"));
        assertThat(t.get("/sbin/init")).isEqualTo(new FsTree.Symlink("/bin/busybox"));
        assertThat(text(t, "/etc/vessel/modules"))
                .isEqualTo("/lib/modules/6.1.0-56-cloud-amd64/kernel/drivers/virtio/virtio_ring.ko\n"
                        + "/lib/modules/6.1.0-56-cloud-amd64/kernel/drivers/virtio/virtio.ko\n");
        assertThat(t.get("/etc/acpi/PWRF/00000080").mode()).isEqualTo(0755);
        assertThat(t.contains("/etc/vessel/persistent")).isFalse();
    }

    @Test
    void theDiskInitramfsSwitchesToTheRootOnVda() {
        FsTree t = GuestTrees.diskInitramfs(USERLAND, MODULES);
        assertThat(text(t, "/init"))
                .contains("root=/dev/vda")
                .contains("mount -t ext4 -o rw \"$root\" /newroot")
                .contains("exec switch_root /newroot /init");
        assertThat(t.contains("/etc/vessel/modules")).isTrue();
    }

    @Test
    void theRootFileSystemKeepsTheMarkerAndServesTheCgiScripts() {
        FsTree t = GuestTrees.rootFs(USERLAND);
        assertThat(text(t, "/init")).isEqualTo(GuestTrees.resource("init"));
        assertThat(t.contains("/etc/vessel/persistent")).isTrue();
        assertThat(t.get("/www/cgi-bin/marker").mode()).isEqualTo(0755);
        assertThat(t.get("/www/cgi-bin/write").mode()).isEqualTo(0755);
        assertThat(t.get("/var/lib")).isInstanceOf(FsTree.Dir.class);
        assertThat(t.contains("/etc/vessel/modules")).isFalse();
    }

    @Test
    void theRootFileSystemCanBeStagedForMke2fs(@TempDir Path dir) throws Exception {
        GuestTrees.rootFs(USERLAND).materialise(dir);
        assertThat(Files.isExecutable(dir.resolve("init"))).isTrue();
        assertThat(Files.readSymbolicLink(dir.resolve("usr/bin/wget"))).isEqualTo(Path.of("/bin/busybox"));
        deleteContents(dir);
    }

    /** Removes the staged links ourselves: JUnit warns about every link that points outside its temp dir. */
    static void deleteContents(Path dir) throws java.io.IOException {
        try (var children = Files.list(dir)) {
            children.forEach(dev.vessel.host.AtomicFiles::deleteTree);
        }
    }
}
