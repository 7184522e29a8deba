package dev.vessel.core.driver;

import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.RuntimeInfo;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs one kind of instance on the host. The engine owns the store and the state machine; a driver only acts on the
 * host and reports what happened through {@link DriverEvents}. Every driver passes {@code InstanceDriverContract}.
 */
public interface InstanceDriver {
    InstanceKind kind();

    /**
     * Starts the instance and returns once its process runs (for a VM: QEMU is up, QMP connected, vCPUs resumed).
     * On failure nothing is left running.
     */
    RuntimeInfo start(Instance instance, Progress progress);

    /**
     * Asks the workload to shut down (ACPI power button for a VM, the stop signal for a container), waits up to
     * {@code timeout}, then kills it. Returns once the process is gone.
     */
    void stop(Instance instance, Duration timeout);

    /** Ends the workload at once. Returns once the process is gone. */
    void kill(Instance instance);

    /**
     * Re-attaches to a workload that ran on while the daemon was down. Empty if it is gone (its leftovers are cleaned
     * up); the engine then marks it stopped.
     */
    Optional<RuntimeInfo> adopt(Instance instance);

    /** Removes everything the driver made for the instance on the host. The instance is not running. */
    void remove(Instance instance);

    /**
     * Lets go of every workload without stopping any (closes control connections), as a daemon that exits does.
     * A new driver can then adopt them.
     */
    void detachAll();

    /** Live numbers for inspect and stats; empty when not running. */
    Optional<InstanceUsage> usage(Instance instance);

    /** Progress of a long step, reported into the task that runs it. */
    @FunctionalInterface
    interface Progress {
        void report(double fraction, String message);

        Progress NONE = (f, m) -> {};
    }
}
