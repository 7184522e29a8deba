package dev.vessel.core.model;

import java.time.Instant;
import java.util.List;

/**
 * What the host did to run an instance: the runtime container, the main process, and for VMs the acceleration that
 * was chosen and why, and the exact QEMU command line (Proxmox's {@code qm showcmd}).
 *
 * @param hyperv the Hyper-V enlightenments of a Windows VM; null for other instances
 * @param tpm the TPM QEMU reports (query-tpm) and the swtpm behind it; null without one
 */
public record RuntimeInfo(
        String containerId,
        long pid,
        String accel,
        String accelReason,
        List<String> command,
        long memoryLimitBytes,
        Instant startedAt,
        Hyperv hyperv,
        String tpm) {
    public RuntimeInfo {
        command = command == null ? List.of() : List.copyOf(command);
    }

    /** Without Hyper-V enlightenments (a container, or a VM that is not Windows). */
    public RuntimeInfo(
            String containerId,
            long pid,
            String accel,
            String accelReason,
            List<String> command,
            long memoryLimitBytes,
            Instant startedAt) {
        this(containerId, pid, accel, accelReason, command, memoryLimitBytes, startedAt, null, null);
    }

    /**
     * The Hyper-V enlightenments a Windows VM asked for, split into those this host's QEMU took (on the command line)
     * and those it refused (left out); probed at start.
     */
    public record Hyperv(List<String> accepted, List<String> refused) {
        public Hyperv {
            accepted = accepted == null ? List.of() : List.copyOf(accepted);
            refused = refused == null ? List.of() : List.copyOf(refused);
        }
    }
}
