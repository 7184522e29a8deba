package dev.vessel.core.stats;

import java.time.Instant;
import java.util.List;

/**
 * One reading of an instance's raw counters at one moment, as the host sees them. Counters are cumulative since the
 * process started; rates need two samples (see the daemon's stats calculator). -1 means unknown; null means the figure
 * does not exist for this instance (a container has no guest; a VM whose guest has not loaded its balloon driver has
 * no guest view yet).
 *
 * @param monotonicNanos {@link System#nanoTime()} when read, for rates that wall-clock jumps cannot skew
 * @param disks one entry per block device (empty when the instance has none or they cannot be read)
 * @param nics one entry per network interface of the instance (empty when it has none)
 */
public record InstanceSample(
        long monotonicNanos, Instant at, long pid, Cpu cpu, Memory memory, List<Disk> disks, List<Nic> nics) {
    public InstanceSample {
        disks = disks == null ? List.of() : List.copyOf(disks);
        nics = nics == null ? List.of() : List.copyOf(nics);
    }

    /**
     * @param cgroupNanos CPU time of everything in the instance's cgroup
     * @param vcpuNanos CPU time of the VM's vCPU threads only (-1 for containers, or when QMP did not answer)
     * @param vcpus number of vCPU threads summed in {@code vcpuNanos}
     */
    public record Cpu(long cgroupNanos, long vcpuNanos, int vcpus) {}

    /**
     * Memory as each layer sees it.
     *
     * @param assigned the guest RAM configured for a VM, or the container's requested limit (0 = none)
     * @param balloonActual what the guest has after the balloon took its share (QMP {@code query-balloon}); -1 if
     *     unknown or not a VM
     * @param guest the guest's own view from virtio-balloon statistics; null when not (yet) reported
     * @param processRss the main process's resident memory (VmRSS)
     * @param guestResident how much of the guest RAM mapping is resident in the host (from smaps); -1 if unknown
     * @param cgroupUsage the cgroup's charged memory (includes page cache and kernel memory)
     * @param cgroupLimit the cgroup's limit
     */
    public record Memory(
            long assigned,
            long balloonActual,
            GuestMemory guest,
            long processRss,
            long guestResident,
            long cgroupUsage,
            long cgroupLimit) {}

    /**
     * The guest's memory as the guest kernel reports it through virtio-balloon statistics.
     *
     * @param available the kernel's MemAvailable estimate; -1 if the guest does not report it
     * @param cache page cache (disk caches); -1 if not reported
     * @param updatedAt when the guest last reported
     */
    public record GuestMemory(long total, long free, long available, long cache, Instant updatedAt) {
        /** Memory the guest really uses: total minus what it could hand back without swapping. */
        public long used() {
            if (total < 0) {
                return -1;
            }
            if (available >= 0) {
                return Math.max(0, total - available);
            }
            if (free >= 0) {
                return Math.max(0, total - free - Math.max(0, cache));
            }
            return -1;
        }
    }

    public record Disk(String device, long readBytes, long writeBytes, long readOps, long writeOps) {}

    public record Nic(String name, long rxBytes, long txBytes, long rxPackets, long txPackets) {}
}
