package dev.vessel.engine.stats;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ByteSize;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.qemu.QemuVmDriver;
import dev.vessel.qemu.stats.VmCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code vessel vm set VM --memory-target SIZE}: the RAM a VM's balloon should leave the guest, applied at once when it
 * runs and kept for its next starts. The guest's balloon driver hands the rest back to the host over a few seconds.
 */
public final class MemoryTargetOps {
    /** Below this a Linux guest stops being useful; the balloon driver itself also refuses to starve the guest. */
    public static final long FLOOR = 64L << 20;

    private final InstanceOps ops;
    private final QemuVmDriver vms;
    private final MemoryTargets targets;
    private final StatsSampler sampler;
    private final EventBus events;

    MemoryTargetOps(InstanceOps ops, QemuVmDriver vms, MemoryTargets targets, StatsSampler sampler, EventBus events) {
        this.ops = ops;
        this.vms = vms;
        this.targets = targets;
        this.sampler = sampler;
        this.events = events;
    }

    /** @param r a size such as "512M", or a null target to give the guest all its RAM again */
    public Map<String, Object> set(String name, dev.vessel.model.MemoryTargetRequest r) {
        Instance vm = ops.get(name);
        if (vm.kind() != InstanceKind.VM) {
            throw VesselException.invalid(
                    "instance", "'" + name + "' is a container; its memory limit is set at create (--memory)");
        }
        if (r == null) {
            throw VesselException.invalid("target", "is required (a size such as 512M, or null to clear it)");
        }
        long assigned = vm.spec().memoryBytes();
        Long bytes = r.target() == null ? null : ByteSize.parse("target", r.target());
        if (bytes != null && bytes > assigned) {
            throw VesselException.invalid(
                    "target",
                    ByteSize.format(bytes) + " is more than the VM's memory (" + ByteSize.format(assigned)
                            + "); the balloon can only take RAM away");
        }
        if (bytes != null && bytes < Math.min(FLOOR, assigned)) {
            throw VesselException.invalid(
                    "target", ByteSize.format(bytes) + " is below the floor of " + ByteSize.format(FLOOR));
        }
        boolean running = vm.state() instanceof InstanceState.Running || vm.state() instanceof InstanceState.Paused;
        if (running) {
            var qmp = vms.qmp(vm.id())
                    .orElseThrow(() ->
                            VesselException.state("vm '" + name + "' runs but its QEMU monitor is not connected"));
            VmCounters.setBalloonTarget(qmp, bytes == null ? assigned : bytes);
            sampler.targetSet(vm);
        }
        targets.set(vm.id(), bytes);
        var data = new LinkedHashMap<String, Object>();
        data.put("target", bytes);
        data.put("memory", assigned);
        data.put("applied", running);
        events.publish("memory-target-set", "vm", name, data);
        var out = new LinkedHashMap<String, Object>(data);
        out.put("name", name);
        return out;
    }
}
