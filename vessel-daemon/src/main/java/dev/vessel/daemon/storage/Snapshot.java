package dev.vessel.daemon.storage;

import java.time.Instant;
import java.util.List;

/**
 * One node of a VM's snapshot tree, as Proxmox keeps it: internal qcow2 snapshots with the same tag in every disk,
 * and a parent, the snapshot the VM's disks descended from when it was taken.
 *
 * @param disks the disk files it covers, in the VM's order (a rollback needs the same set)
 * @param ram whether the guest's RAM and device state were saved too (in the first disk)
 * @param live whether the VM ran when it was taken
 * @param pauseMillis how long the guest was paused to take it (0 when it was stopped)
 */
public record Snapshot(String name, String parent, String description, boolean ram, boolean live, double pauseMillis,
        List<String> disks, Instant createdAt) {
    public Snapshot {
        disks = List.copyOf(disks);
    }

    public Snapshot withParent(String next) {
        return new Snapshot(name, next, description, ram, live, pauseMillis, disks, createdAt);
    }
}
