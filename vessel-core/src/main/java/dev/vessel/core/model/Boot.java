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
        cdrom
    }
}
