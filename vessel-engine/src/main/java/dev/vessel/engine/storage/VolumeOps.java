package dev.vessel.engine.storage;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ByteSize;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.Names;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.event.EventBus;
import dev.vessel.model.VolumeCreateRequest;
import dev.vessel.model.VolumeResizeRequest;
import dev.vessel.model.VolumeView;
import dev.vessel.qemu.block.BlockDevices;
import dev.vessel.storage.Preallocation;
import dev.vessel.storage.StoragePool;
import dev.vessel.storage.VolumeFormat;
import dev.vessel.storage.VolumeRequest;
import dev.vessel.storage.VolumeSizes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Volumes: list, inspect, create, resize and remove; which VM each is attached to comes from the VMs' specs. */
public final class VolumeOps {
    private final Pools pools;
    private final dev.vessel.engine.project.Quotas quotas;
    private final InstanceStore instances;
    private final VmDisks disks;
    private final LiveVm live;
    private final EventBus events;
    /** Names of volumes being made right now: two requests for one name must not share a temporary file. */
    private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public VolumeOps(
            Pools pools,
            InstanceStore instances,
            VmDisks disks,
            LiveVm live,
            EventBus events,
            dev.vessel.engine.project.Quotas quotas) {
        this.quotas = quotas;
        this.pools = pools;
        this.instances = instances;
        this.disks = disks;
        this.live = live;
        this.events = events;
    }

    /** Volume name to the VM it is attached to. */
    Map<String, Instance> attachments() {
        var out = new HashMap<String, Instance>();
        for (Instance i : instances.list()) {
            if (i.spec() instanceof dev.vessel.core.model.VmSpec) {
                disks.of(i).stream()
                        .filter(e -> e.role() == VmDisks.Role.VOLUME)
                        .forEach(e -> out.put(e.volume(), i));
            }
        }
        return out;
    }

    public List<VolumeView> list(String pool) {
        var attached = attachments();
        var out = new ArrayList<VolumeView>();
        for (StoragePool p : pool == null ? pools.all() : List.of(pools.get(pool))) {
            p.list().forEach(v -> out.add(view(v, name(attached.get(v.name())))));
        }
        return out;
    }

    public VolumeView get(String name) {
        var f = pools.require(name);
        return view(f.volume(), name(attachments().get(name)));
    }

    /** The VM a volume is attached to, by its name in its project (which is the volume's). */
    private static String name(Instance i) {
        return i == null ? null : i.shortName();
    }

    /** Refuses a volume of {@code bytes} that its project's disk quota cannot hold (imports, before they write). */
    void checkDisk(String key, long bytes) {
        quotas.check(key, new dev.vessel.model.ProjectUsage(0, 0, 0, bytes));
    }

    /** The volume's size and each key, for the disk quotas of the projects. */
    public Map<String, Long> sizes() {
        var out = new HashMap<String, Long>();
        for (StoragePool p : pools.all()) {
            p.list().forEach(v -> out.put(v.name(), v.virtualSize()));
        }
        return out;
    }

    /** Creates the volume in {@code project} (null: the default one), within its disk quota. */
    public VolumeView create(String project, VolumeCreateRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        String name = dev.vessel.core.model.ProjectKey.of(project, Names.requireValid("name", r.name()));
        StoragePool pool = pools.get(r.pool());
        var request = new VolumeRequest(
                name,
                VolumeFormat.parse("format", r.format()),
                ByteSize.parse("size", r.size()),
                Preallocation.parse("preallocation", r.preallocation()));
        reserve(name);
        try {
            requireFree(name);
            var v = quotas.admitDisk(name, request.sizeBytes(), () -> pool.create(request));
            events.publish("volume-created", "volume", name, Map.of("pool", pool.name(), "size", v.virtualSize()));
            return view(v, null);
        } finally {
            release(name);
        }
    }

    /** Claims a name for a volume being made (create, import); conflict if another request has it. */
    void reserve(String name) {
        if (!inFlight.add(name)) {
            throw VesselException.exists("volume", name);
        }
    }

    void release(String name) {
        inFlight.remove(name);
    }

    /** Volume names are unique across pools. */
    void requireFree(String name) {
        pools.find(name).ifPresent(f -> {
            throw new VesselException(
                    ProblemType.ALREADY_EXISTS,
                    "volume '" + name + "' already exists (in pool '" + f.pool().name() + "')",
                    Map.of("volume", name, "pool", f.pool().name()),
                    null);
        });
    }

    /**
     * Grows (or, forced, shrinks) a volume. A volume attached to a running VM is resized by QEMU itself
     * ({@code block_resize}), so the guest sees the new size at once; shrinking under a running guest is refused.
     */
    public VolumeView resize(String name, VolumeResizeRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        var f = pools.require(name);
        long size = VolumeSizes.parse("size", r.size(), f.volume().virtualSize());
        boolean force = Boolean.TRUE.equals(r.force());
        Instance vm = attachments().get(name);
        var qmp = vm == null
                ? java.util.Optional.<dev.vessel.qemu.qmp.QmpClient>empty()
                : live.qmp(instances.byId(vm.id()).orElseThrow());
        if (qmp.isPresent()) {
            if (size < f.volume().virtualSize()) {
                throw VesselException.state("volume '" + name + "' is attached to the running vm '" + vm.name()
                        + "'; shrink it only while the VM is stopped");
            }
            Path link = disks.volumesDir(vm)
                    .resolve(name + "." + f.volume().format().extension());
            long grow = size - f.volume().virtualSize();
            quotas.admitDisk(name, grow, () -> {
                BlockDevices.resize(qmp.get(), link, size);
                return null;
            });
        } else {
            long grow = Math.max(0, size - f.volume().virtualSize());
            quotas.admitDisk(name, grow, () -> {
                f.pool().resize(name, size, force);
                return null;
            });
        }
        events.publish("volume-resized", "volume", name, Map.of("size", size));
        return get(name);
    }

    public void remove(String name) {
        var f = pools.require(name);
        Instance vm = attachments().get(name);
        if (vm != null) {
            throw VesselException.inUse("volume '" + name + "' is attached to vm '" + vm.name() + "'; detach it first");
        }
        f.pool().delete(name);
        events.publish("volume-removed", "volume", name, Map.of("pool", f.pool().name()));
    }

    /** How the API shows a volume of a pool. */
    static VolumeView view(dev.vessel.storage.Volume v, String attachedTo) {
        return new VolumeView(
                dev.vessel.core.model.ProjectKey.nameOf(v.name()),
                dev.vessel.core.model.ProjectKey.projectOf(v.name()),
                v.pool(),
                v.format().name(),
                v.virtualSize(),
                v.allocatedSize(),
                v.path(),
                attachedTo);
    }
}
