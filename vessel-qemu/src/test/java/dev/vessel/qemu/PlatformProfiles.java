package dev.vessel.qemu;

import dev.vessel.core.model.AccelMode;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.Display;
import dev.vessel.core.model.Firmware;
import dev.vessel.core.model.OsProfile;
import dev.vessel.core.model.VmPlatform;
import dev.vessel.core.model.VmSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One VM spec per OS profile and firmware, as {@code vm create --os P} makes it: a blank root disk, and for UEFI its
 * own variables store after it. Shared by the golden command lines and the test that has QEMU accept each one.
 */
final class PlatformProfiles {
    private PlatformProfiles() {}

    /** The profiles a user can pick, and the firmware variants of linux. */
    static List<String> names() {
        var out = new ArrayList<String>(List.of("linux-uefi", "linux-uefi-secure-tpm", "win11-virtio"));
        for (OsProfile p : OsProfile.values()) {
            if (p.windows()) {
                out.add(p.label());
            }
        }
        return out;
    }

    static VmSpec spec(String name, VmPaths paths) {
        VmPlatform platform = switch (name) {
            case "linux-uefi" ->
                new VmPlatform(OsProfile.LINUX, Firmware.UEFI, false, "/usr/share/OVMF/OVMF_VARS_4M.fd");
            case "linux-uefi-secure-tpm" ->
                new VmPlatform(OsProfile.LINUX, Firmware.UEFI_SECURE, true, VmPlatform.DEBIAN_MS_VARS);
            case "win11-virtio" ->
                new VmPlatform(OsProfile.WIN11, Firmware.UEFI_SECURE, true, VmPlatform.DEBIAN_MS_VARS, null, true);
            default -> {
                var os = OsProfile.parse("os", name);
                yield new VmPlatform(
                        os,
                        os.defaultFirmware(),
                        os.defaultTpm(),
                        Ovmf.of(os.defaultFirmware()).varsTemplate().toString());
            }
        };
        var disks = List.of(
                new Boot.Disk(
                        paths.disksDir().resolve("disk0.qcow2").toString(),
                        Boot.DiskFormat.qcow2,
                        false,
                        Boot.DiskMedia.disk),
                new Boot.Disk(
                        paths.disksDir().resolve("efivars.qcow2").toString(),
                        Boot.DiskFormat.qcow2,
                        false,
                        Boot.DiskMedia.efivars));
        var boot = new Boot(null, null, null, disks);
        return new VmSpec(1L << 30, 2, AccelMode.AUTO, 60, null, boot, null, "0a:56:65:01:02:03", false)
                .withDisplay(platform.os().windows() ? Display.std : Display.none)
                .withPlatform(platform);
    }

    /** What the TCG probe on this project's QEMU 7.2 accepts: everything but VP indexes and what needs them. */
    static final List<String> HYPERV_TCG = List.of(
            "hv_relaxed", "hv_vapic", "hv_spinlocks=0x1fff", "hv_time", "hv_reset", "hv_frequencies", "hv_runtime");
}
