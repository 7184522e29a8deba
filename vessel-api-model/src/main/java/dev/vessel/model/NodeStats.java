package dev.vessel.model;

import java.time.Instant;
import java.util.List;

/**
 * The node's totals and every running instance's sample.
 *
 * @param memoryCommitted RAM promised to instances: every running VM's assigned RAM (its balloon target when lower)
 *                        plus every running container's limit — compare with {@code memoryTotal}
 * @param memoryPressure  the host's memory PSI "some avg10" (% of time some task waited for memory), -1 if unknown
 */
public record NodeStats(
        Instant at,
        int cpus,
        double cpuPercent,
        long memoryTotal,
        long memoryAvailable,
        long memoryCommitted,
        double memoryPressure,
        int running,
        long instancesMemory,
        List<InstanceStats> instances) {}
