package dev.vessel.qemu;

import dev.vessel.core.model.OsProfile;
import dev.vessel.core.model.VmPlatform;

/**
 * The devices and machine settings an OS profile fixes, as Proxmox VE's {@code ostype} does. Linux has virtio built
 * in; Windows has no virtio drivers until the user installs them (virtio-win), so its root disk is SATA on q35's own
 * AHCI controller and its NICs are Intel e1000e, which every Windows since 8 drives out of the box. Windows also keeps
 * its clock in local time, and is given no HPET and no S3/S4 (suspend states that break it under QEMU).
 *
 * @param nicDriver the QEMU device of every NIC, at boot and hot-plugged
 * @param rootDiskDriver the QEMU device of the first disk
 * @param rtcBase {@code utc} or {@code localtime}
 * @param windows hpet off and S3/S4 disabled
 */
public record GuestHardware(String nicDriver, String rootDiskDriver, String rtcBase, boolean windows) {
    public static final GuestHardware LINUX = new GuestHardware("virtio-net-pci", "virtio-blk-pci", "utc", false);
    public static final GuestHardware WINDOWS = new GuestHardware("e1000e", "ide-hd", "localtime", true);
    /** Windows with virtio-win installed: the root disk on virtio-scsi (Proxmox VE's choice for Windows), virtio NICs. */
    public static final GuestHardware WINDOWS_VIRTIO =
            new GuestHardware("virtio-net-pci", "scsi-hd", "localtime", true);

    public static GuestHardware of(VmPlatform p) {
        if (p.os().windows() && p.virtio()) {
            return WINDOWS_VIRTIO;
        }
        return of(p.os());
    }

    /** The root disk is a SCSI disk on its own virtio-scsi controller. */
    public boolean rootDiskOnScsi() {
        return rootDiskDriver.equals("scsi-hd");
    }

    public static GuestHardware of(OsProfile os) {
        return os.windows() ? WINDOWS : LINUX;
    }

    /** The root disk sits on a PCIe bus of its own (virtio) rather than on the chipset's AHCI ports. */
    public boolean rootDiskOnPci() {
        return rootDiskDriver.endsWith("-pci") || rootDiskOnScsi();
    }
}
