package dev.vessel.engine.instance;

import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.core.task.Task;
import dev.vessel.engine.service.Instances;
import dev.vessel.model.InstanceView;
import dev.vessel.model.NicView;
import dev.vessel.model.StartOptions;
import java.util.List;
import java.util.function.Function;

/** {@link Instances}: the stored instances with their live figures and NICs, and the lifecycle of {@link InstanceOps}. */
public final class InstanceService implements Instances {
    private final InstanceStore store;
    private final InstanceOps ops;
    private final Drivers drivers;
    private final Function<Instance, List<NicView>> nics;

    /** @param nics an instance's NICs and whether the guest holds their addresses */
    public InstanceService(
            InstanceStore store, InstanceOps ops, Drivers drivers, Function<Instance, List<NicView>> nics) {
        this.store = store;
        this.ops = ops;
        this.drivers = drivers;
        this.nics = nics;
    }

    @Override
    public long generation() {
        return store.generation();
    }

    @Override
    public List<Instance> stored() {
        return store.list();
    }

    @Override
    public List<InstanceView> list(InstanceKind kind) {
        return store.list().stream()
                .filter(i -> kind == null || i.kind() == kind)
                .map(this::view)
                .toList();
    }

    @Override
    public InstanceView view(String name) {
        Instance i = ops.get(name);
        var v = view(i);
        long pid = i.runtime() == null ? 0 : i.runtime().pid();
        return i.state().active() && pid > 0 ? v.withConfinement(confinement(pid)) : v;
    }

    /** The process's credentials as the kernel reports them, or null when it is gone. */
    static dev.vessel.model.Confinement confinement(long pid) {
        String uid = dev.vessel.qemu.ProcStatus.field(pid, "Uid:");
        String gid = dev.vessel.qemu.ProcStatus.field(pid, "Gid:");
        if (uid == null || gid == null) {
            return null;
        }
        String seccomp = dev.vessel.qemu.ProcStatus.field(pid, "Seccomp:");
        return new dev.vessel.model.Confinement(
                Integer.parseInt(uid.split("\\s+")[0]),
                Integer.parseInt(gid.split("\\s+")[0]),
                dev.vessel.qemu.ProcStatus.field(pid, "CapEff:"),
                "1".equals(dev.vessel.qemu.ProcStatus.field(pid, "NoNewPrivs:")),
                switch (seccomp == null ? "" : seccomp) {
                    case "0" -> "none";
                    case "1" -> "strict";
                    case "2" -> "filter";
                    default -> "unknown";
                });
    }

    /** The view of a stored instance: its live memory figures, read now, and its NICs. */
    public InstanceView view(Instance i) {
        var usage = i.state().active() ? drivers.of(i.kind()).usage(i).orElse(null) : null;
        return InstanceView.of(i, usage, nics.apply(i));
    }

    @Override
    public Instance get(String name) {
        return ops.get(name);
    }

    @Override
    public Task start(String name, StartOptions o) {
        return ops.start(name, o.waitReady(), o.readyTimeout(), o.waitPort());
    }

    @Override
    public Task stop(String name, Integer timeoutSeconds) {
        return ops.stop(name, timeoutSeconds);
    }

    @Override
    public Task kill(String name) {
        return ops.kill(name);
    }

    @Override
    public Task restart(String name, Integer timeoutSeconds, StartOptions o) {
        return ops.restart(name, timeoutSeconds, o.waitReady(), o.readyTimeout(), o.waitPort());
    }

    @Override
    public void remove(String name, boolean force) {
        ops.remove(name, force);
    }
}
