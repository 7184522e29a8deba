package dev.vessel.engine.vm;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ByteSize;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.VmSpec;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.project.Quotas;
import dev.vessel.model.VmConfigRequest;

/**
 * {@code vessel vm set VM --cpus N --memory SIZE --autostart true|false --restart POLICY}: a VM's settings, changed in its stored spec.
 * CPUs and memory change while it is stopped (QEMU would need hot-plug slots the VM was not started with); the
 * project's quotas count the growth, checked and stored under the project's lock; a refused change changes nothing.
 */
public final class VmConfigOps {
    private final InstanceOps ops;
    private final Quotas quotas;

    public VmConfigOps(InstanceOps ops, Quotas quotas) {
        this.ops = ops;
        this.quotas = quotas;
    }

    public Instance configure(String name, VmConfigRequest r) {
        if (r == null
                || (r.cpus() == null
                        && r.memory() == null
                        && r.autostart() == null
                        && r.restart() == null
                        && r.virtio() == null)) {
            throw VesselException.invalid("body", "nothing to change: give cpus, memory, autostart, restart or virtio");
        }
        Instance vm = ops.get(name);
        if (vm.kind() != InstanceKind.VM) {
            throw VesselException.invalid(
                    "name",
                    "'" + name + "' is a container; a container's settings are fixed when it is made, as in Docker");
        }
        long memory = r.memory() == null ? -1 : ByteSize.parse("memory", r.memory());
        var restart = r.restart() == null ? null : dev.vessel.core.model.RestartPolicy.parse(r.restart());
        boolean hardware = r.cpus() != null || r.memory() != null || r.virtio() != null;
        return ops.updateSpecChecked(
                vm.id(),
                current -> {
                    VmSpec spec = (VmSpec) current.spec();
                    if (hardware && !stopped(current.state())) {
                        throw VesselException.state("vm '" + name + "' is "
                                + current.state().label()
                                + ": its CPUs, memory and devices change while it is stopped");
                    }
                    if (hardware && Boolean.TRUE.equals(spec.template())) {
                        throw VesselException.state("vm '" + name + "' is a template: its clones share its hardware");
                    }
                    VmSpec next = spec.withHardware(
                            r.cpus() == null ? spec.cpus() : r.cpus(), memory < 0 ? spec.memoryBytes() : memory);
                    next = r.autostart() == null ? next : next.withAutostart(r.autostart());
                    if (r.virtio() != null) {
                        var p = spec.platform();
                        if (!p.os().windows()) {
                            throw VesselException.invalid("virtio", "a " + p.os().label() + " guest always has virtio");
                        }
                        next = next.withPlatform(p.withVirtio(r.virtio()));
                    }
                    return restart == null ? next : next.withRestart(restart);
                },
                (before, next, write) -> quotas.admitChange(name, before.spec(), next.spec(), write));
    }

    private static boolean stopped(InstanceState s) {
        return s instanceof InstanceState.Stopped || s instanceof InstanceState.Created;
    }
}
