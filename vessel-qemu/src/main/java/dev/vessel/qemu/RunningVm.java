package dev.vessel.qemu;

import dev.vessel.core.model.StopReason;
import dev.vessel.qemu.qmp.QmpClient;
import java.util.concurrent.CompletableFuture;

/** What the driver holds for a VM while its QEMU lives: the QMP connection and why it is going away, if it is. */
final class RunningVm {
    final String instanceId;
    final String containerId;
    volatile QmpClient qmp;
    /** Set before the driver makes QEMU go away, so the exit is reported with the right reason. */
    volatile StopReason intent;
    /** Set when the driver lets go of the VM (start failed, or the daemon shuts down): a disconnect is not an exit. */
    volatile boolean detached;
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
