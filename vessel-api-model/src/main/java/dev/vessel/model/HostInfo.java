package dev.vessel.model;

import java.time.Instant;

/**
 * Facts about the node: its version and dirs, the OCI runtime, the acceleration verdict and why, CPUs, the store's
 * schema.
 *
 * @param accel null while the first acceleration probe runs
 */
public record HostInfo(
        String version, String dataDir, String socket, String runtime, Accel accel, int cpus, int schemaVersion) {
    /** How VMs run their vCPUs here ({@code kvm} or {@code tcg}), and why. */
    public record Accel(String accel, String reason, Instant probedAt, String hostKey) {}
}
