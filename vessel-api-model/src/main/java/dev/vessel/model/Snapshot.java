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
 * @param frozenFileSystems how many guest file systems the guest agent froze for it (fs-freeze: consistent, as after
 *     a clean sync); 0 or null for a crash-consistent one (no agent, a stopped VM, or a snapshot with RAM)
 * @param freezeMillis how long they stayed frozen
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
        Long sizeBytes,
        Integer frozenFileSystems,
        Double freezeMillis) {
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
        this(name, parent, description, ram, live, pauseMillis, disks, createdAt, null, null, null);
    }

    /** A container snapshot, or a VM snapshot without a freeze. */
    public Snapshot(
            String name,
            String parent,
            String description,
            boolean ram,
            boolean live,
            double pauseMillis,
            List<String> disks,
            Instant createdAt,
            Long sizeBytes) {
        this(name, parent, description, ram, live, pauseMillis, disks, createdAt, sizeBytes, null, null);
    }

    public Snapshot withParent(String next) {
        return new Snapshot(
                name,
                next,
                description,
                ram,
                live,
                pauseMillis,
                disks,
                createdAt,
                sizeBytes,
                frozenFileSystems,
                freezeMillis);
    }
}
