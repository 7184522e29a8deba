package dev.vessel.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.AccelMode;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A VM with a root disk, an attached volume and a cloud-init seed: data disks sit behind their own root ports. */
class QemuVolumesCommandLineTest {
    static VmSpec spec() {
        var state = QemuCommandLineTest.PATHS.stateDir();
        var boot = new Boot(
                "/var/lib/vessel/images/tiny-disk/vmlinuz",
                "/var/lib/vessel/images/tiny-disk/initrd.img",
                "console=ttyS0",
                List.of(
                        new Boot.Disk(
                                state.resolve("disks/root.qcow2").toString(),
                                Boot.DiskFormat.qcow2,
                                false,
                                Boot.DiskMedia.disk),
                        new Boot.Disk(
                                state.resolve("volumes/data.raw").toString(),
                                Boot.DiskFormat.raw,
                                false,
                                Boot.DiskMedia.disk),
                        new Boot.Disk(
                                state.resolve("cloud-init/seed.iso").toString(),
                                Boot.DiskFormat.raw,
                                true,
                                Boot.DiskMedia.cdrom)));
        return new VmSpec(
                256L << 20, 1, AccelMode.TCG, 60, "tiny-disk", boot, "VESSEL-READY", "0a:56:65:01:02:03", false);
    }

    @Test
    void dataDisksAreUnpluggableAndFreePortsWaitForHotPlug() throws Exception {
        var argv = QemuCommandLine.build("vols", QemuCommandLineTest.UUID0, spec(), QemuCommandLineTest.PATHS, false);
        Golden.assertMatches("qemu-volumes-tcg.argv", String.join("\n", argv) + "\n");
        assertThat(argv)
                .contains(
                        "pcie-root-port,id=disk1-port,chassis=1",
                        "virtio-blk-pci,drive=disk1,id=disk1-dev,bus=disk1-port");
        assertThat(argv.stream().filter(a -> a.startsWith("pcie-root-port,id=hp")))
                .hasSize(QemuCommandLine.HOTPLUG_PORTS);
    }
}
