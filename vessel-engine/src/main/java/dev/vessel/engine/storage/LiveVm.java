package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.qemu.qmp.QmpClient;
import java.util.Optional;
import java.util.function.Function;

/** Whether storage must act through QEMU (the VM runs) or on the files (it does not), and QEMU's monitor if so. */
public final class LiveVm {
    private final Function<String, Optional<QmpClient>> monitors;
    private final dev.vessel.engine.instance.GuestAgents agents;

    /** @param monitors the QMP connection of a VM by its id, empty when its QEMU is not connected */
    public LiveVm(Function<String, Optional<QmpClient>> monitors) {
        this(monitors, null);
    }

    /** @param agents the VMs' guest agents, for consistent live snapshots and backups; null for none */
    public LiveVm(Function<String, Optional<QmpClient>> monitors, dev.vessel.engine.instance.GuestAgents agents) {
        this.monitors = monitors;
        this.agents = agents;
    }

    /** The guest's file systems frozen by its agent until closed, or nothing frozen and why. */
    public dev.vessel.engine.instance.GuestAgents.Freeze freeze(Instance i) {
        return agents == null ? dev.vessel.engine.instance.GuestAgents.Freeze.NONE : agents.tryFreeze(i);
    }

    /** The monitor of a running or paused VM; empty for a stopped one; refused while it starts or stops. */
    public Optional<QmpClient> qmp(Instance i) {
        return switch (i.state()) {
            case InstanceState.Created c -> Optional.empty();
            case InstanceState.Stopped s -> Optional.empty();
            case InstanceState.Running r -> Optional.of(require(i));
            case InstanceState.Paused p -> Optional.of(require(i));
            case InstanceState.Starting s ->
                throw VesselException.state("vm '" + i.name() + "' is starting; try again when it runs");
            case InstanceState.Stopping s ->
                throw VesselException.state("vm '" + i.name() + "' is stopping; try again when it has stopped");
        };
    }

    /** The monitor of a running VM, for recovery after a restart: empty if QEMU is gone. */
    public Optional<QmpClient> ifConnected(String instanceId) {
        return monitors.apply(instanceId);
    }

    private QmpClient require(Instance i) {
        return monitors.apply(i.id())
                .orElseThrow(() -> VesselException.state(
                        "vm '" + i.name() + "' is " + i.state().label() + " but its QEMU monitor is not connected"));
    }
}
