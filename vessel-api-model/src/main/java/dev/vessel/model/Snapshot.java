package dev.vessel.model;

import java.time.Instant;
import java.util.List;

/**
 * One node of an instance's snapshot tree, as Proxmox keeps it, with a parent: the snapshot the instance descended
 * from when it was taken. For a VM, internal qcow2 snapshots with the same tag in every disk; for a container, a copy
 * of its writable layer.
 *
 * @param disks the disk files it covers, in the VM's order (a rollback needs the same set)
 * @param ram whether the guest's RAM and device state were saved too (in the first disk)
 * @param live whether the VM ran when it was taken
 * @param pauseMillis how long the guest was paused (a container frozen) to take it (0 when it was stopped)
 * @param sizeBytes what a container snapshot's copy holds; null for VM snapshots (they live inside the disks)
 */
public record Snapshot(
        String name,
        String parent,
        String description,
        boolean ram,
        boolean live,
        double pauseMillis,
        List<String> disks,
        Instant createdAt,
        Long sizeBytes) {
    public Snapshot {
        disks = List.copyOf(disks);
    }

    /** A VM snapshot. */
    public Snapshot(
            String name,
            String parent,
            String description,
            boolean ram,
            boolean live,
            double pauseMillis,
            List<String> disks,
            Instant createdAt) {
        this(name, parent, description, ram, live, pauseMillis, disks, createdAt, null);
    }

    public Snapshot withParent(String next) {
        return new Snapshot(name, next, description, ram, live, pauseMillis, disks, createdAt, sizeBytes);
    }
}
