package dev.vessel.core.model;

import java.time.Instant;
import java.util.List;

/**
 * What the host did to run an instance: the runtime container, the main process, and for VMs the acceleration that
 * was chosen and why, and the exact QEMU command line (Proxmox's {@code qm showcmd}).
 */
public record RuntimeInfo(
        String containerId,
        long pid,
        String accel,
        String accelReason,
        List<String> command,
        long memoryLimitBytes,
        Instant startedAt) {
    public RuntimeInfo {
        command = command == null ? List.of() : List.copyOf(command);
    }
}
