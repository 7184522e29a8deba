package dev.vessel.qemu;

import dev.vessel.core.model.StopReason;
import dev.vessel.qemu.qmp.QmpClient;
import java.util.concurrent.CompletableFuture;

/** What the driver holds for a VM while its QEMU lives: the QMP connection and why it is going away, if it is. */
final class RunningVm {
    final String instanceId;
    final String containerId;
    volatile QmpClient qmp;
    /** QEMU's pid as the host sees it (the container's init), 0 until known. */
    volatile long pid;
    /** Set before the driver makes QEMU go away, so the exit is reported with the right reason. */
    volatile StopReason intent;
    /** Set when the driver lets go of the VM (start failed, or the daemon shuts down): a disconnect is not an exit. */
    volatile boolean detached;
    /** The stop timeout of the last stop request, for the words of a stop that had to kill. */
    volatile java.time.Duration stopTimeout;
    /** The host pid of the VM's swtpm, 0 for a VM without a TPM. */
    volatile long swtpmPid;
    /** Why the driver killed a VM it was not asked to stop (its swtpm went away), for the exit's words. */
    volatile String failure;
    /** Set when QEMU reports a SHUTDOWN that the guest asked for. */
    volatile boolean guestShutdown;

    final CompletableFuture<StopReason> gone = new CompletableFuture<>();

    RunningVm(String instanceId, String containerId) {
        this.instanceId = instanceId;
        this.containerId = containerId;
    }

    StopReason exitReason() {
        if (intent != null) {
            return intent;
        }
        return guestShutdown ? StopReason.GUEST_SHUTDOWN : StopReason.CRASHED;
    }
}
