package dev.vessel.model;

import java.time.Instant;

/**
 * One sample of a running instance. Counters (CPU time, bytes, operations) are totals since the instance started, so a
 * client or Prometheus can take rates; {@code cpuPercent} is the rate over the last sampling interval (100 = one CPU).
 * -1 means unknown.
 *
 * @param vcpuNanos for a VM, the CPU time of its vCPU threads (the guest's own work); -1 for a container
 */
public record InstanceStats(
        String id,
        String name,
        String kind,
        Instant at,
        double cpuPercent,
        long cpuNanos,
        long vcpuNanos,
        Memory memory,
        Io disk,
        Net net) {

    /**
     * Memory, split the way a VM-in-container user needs it.
     *
     * @param assigned     RAM given to the guest (a VM) or the configured limit (a container; 0 = none)
     * @param balloon      RAM the guest has now: assigned minus what the balloon holds (-1 for containers)
     * @param target       the balloon target set with {@code vm set --memory-target}, or -1
     * @param guestTotal   the RAM the guest sees (what its {@code free} calls total: less than assigned while the balloon
     *     holds some), from its balloon driver's statistics
     * @param guestUsed    total minus available, as the guest's own {@code free} computes "used"
     * @param guestFree    free in the guest
     * @param guestCache   page cache in the guest
     * @param processRss   resident memory of QEMU (a VM) or of the container's processes
     * @param guestRamRss  the part of QEMU's RSS that is guest RAM (its RAM mapping's resident pages)
     * @param overhead     QEMU's own memory: RSS beyond the guest RAM mapping
     * @param cgroupUsage  what the container's cgroup charges (includes page cache)
     * @param cgroupLimit  the cgroup's limit
     * @param guestAvailable what the guest could still use (its MemAvailable)
     */
    public record Memory(
            long assigned,
            long balloon,
            long target,
            long guestTotal,
            long guestUsed,
            long guestFree,
            long guestCache,
            long processRss,
            long guestRamRss,
            long overhead,
            long cgroupUsage,
            long cgroupLimit,
            long guestAvailable) {}

    public record Io(long readBytes, long writeBytes, long readOps, long writeOps) {
        public static final Io UNKNOWN = new Io(-1, -1, -1, -1);
    }

    /** From the instance's point of view: rx is what it received. */
    public record Net(long rxBytes, long txBytes, long rxPackets, long txPackets) {
        public static final Net UNKNOWN = new Net(-1, -1, -1, -1);
    }
}
