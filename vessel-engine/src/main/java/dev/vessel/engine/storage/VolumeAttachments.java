package dev.vessel.engine.storage;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.VmSpec;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.model.AttachRequest;
import dev.vessel.model.VolumeView;
import dev.vessel.qemu.block.BlockDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;

/**
 * Attaching and detaching volumes. The pool exposes the volume in the VM's own directory ({@code <state>/volumes/}),
 * which its container already sees; a running VM gets it hot-plugged, and the VM's spec lists it so the next boot has
 * it too. Each is a journaled sequence: a crash half-way is undone (attach) or finished (detach) at the next start.
 */
public final class VolumeAttachments {
    static final Duration UNPLUG_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_DISKS = 16;

    private final InstanceOps ops;
    private final Pools pools;
    private final VolumeOps volumes;
    private final VmDisks disks;
    private final LiveVm live;
    private final VmOpLocks locks;
    private final Journal journal;
    private final EventBus events;

    public VolumeAttachments(
            InstanceOps ops,
            Pools pools,
            VolumeOps volumes,
            VmDisks disks,
            LiveVm live,
            VmOpLocks locks,
            Journal journal,
            EventBus events) {
        this.ops = ops;
        this.pools = pools;
        this.volumes = volumes;
        this.disks = disks;
        this.live = live;
        this.locks = locks;
        this.journal = journal;
        this.events = events;
    }

    public VolumeView attach(String vmName, AttachRequest r) {
        if (r == null || r.volume() == null) {
            throw VesselException.invalid("volume", "the volume to attach is required");
        }
        Instance vm = ops.get(vmName);
        VmSpec spec = VmDisks.spec(vm);
        String volumeProject = dev.vessel.core.model.ProjectKey.projectOf(r.volume());
        if (!volumeProject.equals(vm.project())) {
            throw VesselException.invalid(
                    "volume",
                    "volume '" + r.volume() + "' is in project '" + volumeProject + "' and vm '" + vmName + "' in '"
                            + vm.project() + "': a VM uses volumes of its own project");
        }
        if (spec.template()) {
            throw VesselException.state("vm '" + vmName + "' is a template; templates are read-only");
        }
        try (var held = locks.acquire(vm.id(), vmName, "attach")) {
            var found = pools.require(r.volume());
            Instance user = volumes.attachments().get(r.volume());
            if (user != null) {
                throw VesselException.inUse(
                        "volume '" + r.volume() + "' is already attached to vm '" + user.name() + "'");
            }
            if (spec.boot().disks().size() >= MAX_DISKS) {
                throw VesselException.state("vm '" + vmName + "' has " + MAX_DISKS + " disks already");
            }
            boolean readOnly = Boolean.TRUE.equals(r.readOnly());
            Path dir = disks.volumesDir(vm);
            Path link = dir.resolve(r.volume() + "." + found.volume().format().extension());
            String jid = journal.begin(vm.id(), new JournalEntry.Attach(r.volume(), link.toString()));
            boolean plugged = false;
            var qmp = live.qmp(ops.get(vmName));
            try {
                found.pool().expose(r.volume(), dir);
                if (qmp.isPresent()) {
                    BlockDevices.plug(qmp.get(), link, found.volume().format().name(), readOnly);
                    plugged = true;
                }
                var disk = new Boot.Disk(
                        link.toString(),
                        Boot.DiskFormat.valueOf(found.volume().format().name()),
                        readOnly,
                        Boot.DiskMedia.disk);
                ops.updateSpec(vm.id(), s -> {
                    var vs = (VmSpec) s;
                    var list = new ArrayList<>(vs.boot().disks());
                    list.add(disk);
                    return vs.withBoot(new Boot(
                            vs.boot().kernel(), vs.boot().initrd(), vs.boot().cmdline(), list));
                });
            } catch (RuntimeException e) {
                if (plugged) {
                    BlockDevices.quietly(() -> BlockDevices.unplug(qmp.get(), link, UNPLUG_TIMEOUT));
                }
                deleteQuietly(link);
                journal.end(jid);
                throw e;
            }
            journal.end(jid);
            events.publish("volume-attached", "vm", vmName, Map.of("volume", r.volume(), "hotplug", qmp.isPresent()));
            return volumes.get(r.volume());
        }
    }

    public void detach(String vmName, String volume) {
        Instance vm = ops.get(vmName);
        VmDisks.spec(vm);
        try (var held = locks.acquire(vm.id(), vmName, "detach")) {
            var entry = disks.of(vm).stream()
                    .filter(e -> e.role() == VmDisks.Role.VOLUME && e.volume().equals(volume))
                    .findFirst()
                    .orElseThrow(() -> new VesselException(
                            ProblemType.NOT_FOUND,
                            "volume '" + volume + "' is not attached to vm '" + vmName + "'",
                            Map.of("volume", volume, "vm", vmName),
                            null));
            String jid = journal.begin(
                    vm.id(), new JournalEntry.Detach(volume, entry.disk().path()));
            var qmp = live.qmp(ops.get(vmName));
            if (qmp.isPresent()) {
                BlockDevices.unplug(qmp.get(), entry.path(), UNPLUG_TIMEOUT);
            }
            finishDetach(vm.id(), entry.disk().path());
            journal.end(jid);
            events.publish("volume-detached", "vm", vmName, Map.of("volume", volume, "hotplug", qmp.isPresent()));
        }
    }

    /** Drops the disk from the spec and the link from the VM's directory; repeatable (recovery finishes with it). */
    void finishDetach(String instanceId, String link) {
        ops.updateSpec(instanceId, s -> {
            var vs = (VmSpec) s;
            var list = vs.boot().disks().stream()
                    .filter(d -> !d.path().equals(link))
                    .toList();
            return vs.withBoot(
                    new Boot(vs.boot().kernel(), vs.boot().initrd(), vs.boot().cmdline(), list));
        });
        deleteQuietly(Path.of(link));
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // recovery removes links that no spec lists
        }
    }
}
