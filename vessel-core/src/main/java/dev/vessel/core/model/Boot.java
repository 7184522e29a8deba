package dev.vessel.core.model;

import java.util.List;

/**
 * What a VM boots: a kernel (with optional initrd and command line), disks, or both. Paths are absolute and lie inside
 * the data dir; the daemon checks that before it stores them.
 */
public record Boot(String kernel, String initrd, String cmdline, List<Disk> disks) {
    public Boot {
        disks = disks == null ? List.of() : List.copyOf(disks);
        if (kernel == null && disks.isEmpty()) {
            throw dev.vessel.core.error.VesselException.invalid("boot", "a VM needs a kernel or at least one disk");
        }
    }

    /** One disk of a VM. */
    public record Disk(String path, DiskFormat format, boolean readOnly, DiskMedia media) {}

    public enum DiskFormat {
        qcow2,
        raw
    }

    public enum DiskMedia {
        disk,
        cdrom,
        /**
         * A UEFI VM's own variables store (qcow2, the size of its OVMF template), QEMU's second flash chip: written by
         * the firmware, never seen by the guest as a disk, and snapshotted, backed up and cloned with the disks.
         */
        efivars,
        /** A read-only USB stick: the FAT image of an unattended Windows setup. */
        usb;

        /** A disk or the variables store: the VM's own data, which snapshots, backups and clones carry. */
        public boolean holdsData() {
            return this == disk || this == efivars;
        }
    }

    /** The UEFI variables store, if the VM has one. */
    public java.util.Optional<Disk> efivars() {
        return disks.stream().filter(d -> d.media() == DiskMedia.efivars).findFirst();
    }
}
