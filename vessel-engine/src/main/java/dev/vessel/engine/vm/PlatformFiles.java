package dev.vessel.engine.vm;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.Firmware;
import dev.vessel.core.model.VmPlatform;
import dev.vessel.host.PathGuard;
import dev.vessel.host.ProcessRunner;
import dev.vessel.model.VmCreateRequest;
import dev.vessel.qemu.ImageTool;
import dev.vessel.qemu.Ovmf;
import dev.vessel.qemu.VmPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * What a new VM's platform needs made at create: the platform itself from the request, its own UEFI variables and TPM
 * state, and a Windows setup stick. {@link VmCreator} calls it after the disks are made; what it makes lives in the
 * VM's directory, which a failed create removes whole.
 */
final class PlatformFiles {
    private final ImageTool qemuImg;
    private final ProcessRunner proc;

    PlatformFiles(ImageTool qemuImg, ProcessRunner proc) {
        this.qemuImg = qemuImg;
        this.proc = proc;
    }

    /** The OS profile with the firmware, TPM and boot order asked for, or the profile's own. */
    static VmPlatform platform(VmCreateRequest r) {
        var os = dev.vessel.core.model.OsProfile.parse("os", r.os());
        var firmware = Firmware.parse("firmware", r.firmware());
        if (firmware == null) {
            firmware = os.defaultFirmware();
        }
        boolean tpm = r.tpm() == null ? os.defaultTpm() : r.tpm();
        if (r.varsTemplate() != null && !firmware.uefi()) {
            throw VesselException.invalid(
                    "varsTemplate", "a UEFI variables template needs --firmware uefi or uefi-secure");
        }
        String template = !firmware.uefi()
                ? null
                : r.varsTemplate() != null
                        ? PathGuard.existingFile("varsTemplate", r.varsTemplate())
                                .toString()
                        : Ovmf.of(firmware).varsTemplate().toString();
        // an unattended setup with a drivers CD loads vioscsi and netkvm in Windows Setup itself: virtio from the start
        boolean virtio = os.windows() && r.unattend() != null && r.drivers() != null;
        return new VmPlatform(
                os, firmware, tpm, template, VmPlatform.parseBootOrder("bootOrder", r.bootOrder()), virtio);
    }

    /**
     * The VM's own UEFI variables (a qcow2 copy of the template, after its disks) and TPM state (made by swtpm_setup),
     * both in its disks dir.
     */
    Boot files(VmPlatform platform, String userTemplate, Boot boot, VmPaths paths) {
        var disks = new ArrayList<>(boot.disks());
        if (platform.firmware().uefi()) {
            var ovmf = Ovmf.of(platform.firmware()).requireInstalled();
            Path template = Path.of(platform.varsTemplate());
            try {
                if (userTemplate != null && Files.size(template) != ovmf.varsSize()) {
                    throw VesselException.invalid(
                            "varsTemplate",
                            "'" + template + "' is " + Files.size(template) + " bytes; OVMF's 4 MiB layout needs "
                                    + ovmf.varsSize() + " (a copy of OVMF_VARS_4M.fd with other keys)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path vars = paths.disksDir().resolve("efivars.qcow2");
            qemuImg.convert(template, "raw", vars, "qcow2");
            disks.add(new Boot.Disk(vars.toString(), Boot.DiskFormat.qcow2, false, Boot.DiskMedia.efivars));
        }
        if (platform.tpm()) {
            dev.vessel.qemu.Swtpm.setup(proc, paths.tpmState());
        }
        return new Boot(boot.kernel(), boot.initrd(), boot.cmdline(), disks);
    }

    /**
     * The Windows setup image as a USB stick after the other disks; the password lives in it only. A bad value fails
     * the create like any other field, and what was made is removed.
     */
    Boot unattended(VmCreateRequest r, VmPlatform platform, String name, Boot boot, VmPaths paths) {
        if (!platform.os().windows()) {
            throw VesselException.invalid(
                    "unattend", "an unattended setup is for Windows; give --os win10, win11, ...");
        }
        var checked = dev.vessel.engine.vm.windows.UnattendXml.checked(
                r.unattend(), dev.vessel.core.model.ProjectKey.nameOf(name));
        String driversDir = dev.vessel.engine.vm.windows.SetupImage.driversDir(platform.os());
        Path driversIso = boot.disks().stream()
                .filter(d -> d.media() == Boot.DiskMedia.cdrom
                        && !d.path().contains("/" + dev.vessel.engine.storage.VmDisks.CLOUD_INIT + "/"))
                .map(d -> Path.of(d.path()))
                .filter(p -> r.drivers() != null)
                .reduce((a, b) -> b)
                .orElse(null);
        String xml = dev.vessel.engine.vm.windows.UnattendXml.render(
                checked, platform.firmware(), r.drivers() == null ? null : driversDir);
        Path img = dev.vessel.engine.vm.windows.SetupImage.build(
                proc,
                paths.stateDir().resolve("unattend"),
                xml,
                dev.vessel.engine.vm.windows.FirstLogon.script(),
                driversIso,
                driversDir);
        var disks = new ArrayList<>(boot.disks());
        disks.add(new Boot.Disk(img.toString(), Boot.DiskFormat.raw, true, Boot.DiskMedia.usb));
        return new Boot(boot.kernel(), boot.initrd(), boot.cmdline(), disks);
    }
}
