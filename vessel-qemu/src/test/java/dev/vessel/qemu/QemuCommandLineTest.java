package dev.vessel.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.AccelMode;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.testing.Golden;
import dev.vessel.host.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    static final VmPaths PATHS =
            new VmPaths(Path.of("/var/lib/vessel/instances/0123456789ab"), Path.of("/run/vessel/vm/0123456789ab"));
    static final UUID UUID0 = UUID.fromString("6f1c2e3a-0000-4000-8000-0123456789ab");

    static VmSpec tinySpec() {
        var boot = new Boot(
                "/var/lib/vessel/images/tiny/vmlinuz",
                "/var/lib/vessel/images/tiny/initrd.img",
                "console=ttyS0 panic=-1 quiet",
                List.of());
        return new VmSpec(256L << 20, 1, AccelMode.AUTO, 60, "tiny", boot, "VESSEL-READY");
    }

    static VmSpec diskSpec() {
        var boot = new Boot(
                "/var/lib/vessel/images/tiny-disk/vmlinuz",
                "/var/lib/vessel/images/tiny-disk/initrd.img",
                "console=ttyS0",
                List.of(new Boot.Disk(
                        PATHS.disksDir().resolve("root.qcow2").toString(),
                        Boot.DiskFormat.qcow2,
                        false,
                        Boot.DiskMedia.disk)));
        return new VmSpec(512L << 20, 2, AccelMode.KVM, 30, "tiny-disk", boot, "VESSEL-READY");
    }

    @Test
    void aTinyKernelVmUnderTcgHasTheGoldenCommandLine() throws Exception {
        var argv = QemuCommandLine.build("web", UUID0, tinySpec(), PATHS, false);
        Golden.assertMatches("qemu-tiny-tcg.argv", String.join("\n", argv) + "\n");
    }

    @Test
    void aVmWithADisplayHasTheGoldenCommandLine() throws Exception {
        var spec = tinySpec().withDisplay(dev.vessel.core.model.Display.std);
        var argv = QemuCommandLine.build("desk.dev", UUID0, spec, PATHS, false);
        Golden.assertMatches("qemu-display-std.argv", String.join("\n", argv) + "\n");
        // The guest calls itself by its name in its project.
        assertThat(String.join(" ", argv)).contains("vessel.hostname=desk ").doesNotContain("desk.dev ");
        var virtio = QemuCommandLine.build(
                "desk", UUID0, tinySpec().withDisplay(dev.vessel.core.model.Display.virtio), PATHS, false);
        assertThat(virtio).contains("virtio-vga,id=video0").doesNotContain("VGA,id=video0");
    }

    @Test
    void aDiskVmUnderKvmHasTheGoldenCommandLine() throws Exception {
        var argv = QemuCommandLine.build("db", UUID0, diskSpec(), PATHS, true);
        Golden.assertMatches("qemu-disk-kvm.argv", String.join("\n", argv) + "\n");
    }

    @Test
    void qemuAlwaysStartsPausedSandboxedAndWithoutDefaultDevices() {
        var argv = QemuCommandLine.build("web", UUID0, tinySpec(), PATHS, false);
        assertThat(argv).contains("-S", "-nodefaults", "-no-user-config");
        assertThat(argv.get(argv.indexOf("-sandbox") + 1)).startsWith("on,");
        assertThat(argv).noneMatch(a -> a.contains("-netdev") || a.contains("user,"));
    }

    @Test
    void theVmContainerHasTheGoldenOciConfig() throws Exception {
        var argv = QemuCommandLine.build("web", UUID0, tinySpec(), PATHS, false);
        var spec = VmContainerSpec.build(
                "web",
                tinySpec(),
                PATHS,
                argv,
                false,
                Path.of("/var/lib/vessel/images"),
                "/vessel/vessel-0123456789ab",
                VmUids.FIRST);
        Golden.assertMatches("vm-config-tcg.json", Json.pretty(spec.toJson()) + "\n");
    }

    @Test
    void theKvmContainerGetsOnlyDevKvmAndNoCapabilities() throws Exception {
        var argv = QemuCommandLine.build("db", UUID0, diskSpec(), PATHS, true);
        var spec = VmContainerSpec.build(
                "db",
                diskSpec(),
                PATHS,
                argv,
                true,
                Path.of("/var/lib/vessel/images"),
                "/vessel/vessel-0123456789ab",
                VmUids.FIRST);
        assertThat(spec.uid()).isEqualTo(VmUids.FIRST).isNotZero();
        assertThat(spec.devices()).containsExactly(VmContainerSpec.KVM);
        assertThat(spec.capabilities()).isEmpty();
        assertThat(spec.readonlyRoot()).isTrue();
        Golden.assertMatches("vm-config-kvm.json", Json.pretty(spec.toJson()) + "\n");
    }

    @Test
    void theMemoryLimitIsGuestRamPlusTheDocumentedOverhead() {
        long ram = 256L << 20;
        assertThat(QemuOverhead.containerLimit(ram, 1, true))
                .isEqualTo(ram + (80L << 20) + ram / 512 + (8L << 20) + (64L << 20));
        assertThat(QemuOverhead.containerLimit(ram, 2, false)).isEqualTo(ram + (80L << 20) + ram / 512 + (16L << 20));
    }
}
