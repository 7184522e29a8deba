package dev.vessel.core.driver;

/**
 * Memory three ways, as the user of a VM-in-container needs it: the RAM given to the guest, what the QEMU process
 * really holds (RSS), and what the container's cgroup charges against its limit. -1 means unknown.
 */
public record InstanceUsage(
        long guestMemoryBytes, long processRssBytes, long cgroupUsageBytes, long cgroupLimitBytes, long pid) {}
