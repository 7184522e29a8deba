package dev.vessel.engine.storage;

import dev.vessel.core.driver.DriverEvents;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.LifecycleEvent;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.event.EventBus;
import dev.vessel.host.AtomicFiles;
import dev.vessel.qemu.ImageTool;
import dev.vessel.qemu.block.BlockDevices;
import dev.vessel.qemu.block.Jobs;
import dev.vessel.qemu.block.LiveBackup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Runs once at daemon start, after adoption (it needs the QMP connections of running VMs): removes what interrupted
 * pool operations left, then settles every open journal entry: undoes a half-made snapshot, clone, restore, backup,
 * template or attach; finishes a half-done snapshot removal, rollback or detach. Afterwards the disks, the snapshot
 * trees and the VMs' specs agree again.
 */
public final class StorageRecovery {
    private static final System.Logger LOG = System.getLogger(StorageRecovery.class.getName());

    private final Pools pools;
    private final Journal journal;
    private final InstanceStore instances;
    private final SnapshotStore snapshots;
    private final SnapshotOps snapshotOps;
    private final VolumeAttachments attachments;
    private final VmDisks disks;
    private final LiveVm live;
    private final ImageTool qemuImg;
    private final EventBus events;
    private final DriverEvents lifecycle;

    public StorageRecovery(
            Pools pools,
            Journal journal,
            InstanceStore instances,
            SnapshotStore snapshots,
            SnapshotOps snapshotOps,
            VolumeAttachments attachments,
            VmDisks disks,
            LiveVm live,
            ImageTool qemuImg,
            EventBus events,
            DriverEvents lifecycle) {
        this.lifecycle = lifecycle;
        this.pools = pools;
        this.journal = journal;
        this.instances = instances;
        this.snapshots = snapshots;
        this.snapshotOps = snapshotOps;
        this.attachments = attachments;
        this.disks = disks;
        this.live = live;
        this.qemuImg = qemuImg;
        this.events = events;
    }

    /** Returns a line per thing it did. */
    public List<String> run() {
        var done = new ArrayList<String>();
        for (var p : pools.all()) {
            done.addAll(p.recover());
            p.backupsDir().ifPresent(dir -> done.addAll(removePartials(dir)));
        }
        for (Journal.Open o : journal.open()) {
            try {
                done.add(settle(o));
                if (o.instanceId() != null) {
                    syncRunState(o.instanceId());
                }
                journal.end(o.id());
            } catch (RuntimeException e) {
                // Left in the journal: the next start tries again, and the operation's files stay as they are.
                LOG.log(
                        System.Logger.Level.WARNING,
                        "cannot settle the interrupted " + o.entry() + ": " + e.getMessage(),
                        e);
                done.add("could not settle " + o.entry().getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        done.addAll(orphans());
        for (String line : done) {
            LOG.log(System.Logger.Level.INFO, "storage recovery: " + line);
        }
        if (!done.isEmpty()) {
            events.publish("storage-recovered", null, null, Map.of("actions", done));
        }
        return done;
    }

    private String settle(Journal.Open o) {
        Instance vm =
                o.instanceId() == null ? null : instances.byId(o.instanceId()).orElse(null);
        var qmp = o.instanceId() == null
                ? java.util.Optional.<dev.vessel.qemu.qmp.QmpClient>empty()
                : live.ifConnected(o.instanceId());
        return switch (o.entry()) {
            case JournalEntry.SnapshotCreate s -> {
                if (vm == null || snapshots.get(vm.id(), s.tag()).isPresent()) {
                    yield "snapshot '" + s.tag() + "' had been stored; nothing to undo";
                }
                // A snapshot-save job QEMU still runs (or finished unseen) has to end before its tag can go.
                qmp.ifPresent(q -> Jobs.cancel(
                        q,
                        Jobs.query(q).keySet().stream()
                                .filter(id -> id.startsWith("snap"))
                                .toList()));
                snapshotOps.removeTag(qmp.orElse(null), existing(s.disks()), s.tag());
                if (s.resume() && qmp.isPresent() && !qmp.get().queryStatus().running()) {
                    qmp.get().cont();
                }
                yield "undid the half-made snapshot '" + s.tag() + "' of " + vm.name()
                        + (s.resume() ? " (and made sure the guest runs)" : "");
            }
            case JournalEntry.SnapshotDelete s -> {
                snapshotOps.removeTag(qmp.orElse(null), existing(s.disks()), s.tag());
                if (vm != null) {
                    snapshots.remove(vm.id(), s.tag());
                }
                yield "finished removing snapshot '" + s.tag() + "'";
            }
            case JournalEntry.SnapshotRollback s -> {
                if (vm == null || qmp.isPresent()) {
                    yield "rollback to '" + s.tag() + "': the VM is " + (vm == null ? "gone" : "running again")
                            + "; left as it is";
                }
                for (String d : existing(s.disks())) {
                    qemuImg.snapshotApply(Path.of(d), s.tag());
                }
                snapshots.setCurrent(vm.id(), s.tag());
                yield "finished rolling " + vm.name() + " back to '" + s.tag() + "'";
            }
            case JournalEntry.NewInstance n -> {
                if (instances.byId(n.instanceId()).isPresent()) {
                    yield "vm " + n.name() + " had been stored; kept";
                }
                AtomicFiles.deleteTree(Path.of(n.stateDir()));
                yield "removed the half-made vm " + n.name() + " (" + n.stateDir() + ")";
            }
            case JournalEntry.TemplateMove t -> {
                if (vm != null && vm.spec() instanceof VmSpec spec && spec.template()) {
                    yield "template " + vm.name() + " had been stored; kept";
                }
                TemplateOps.undoTemplate(t.moves());
                yield "moved " + t.moves().size() + " disk(s) back from a half-made template";
            }
            case JournalEntry.Backup b -> {
                if (qmp.isPresent() && !b.jobIds().isEmpty()) {
                    LiveBackup.cleanup(qmp.get(), b.jobIds(), b.targetNodes());
                }
                AtomicFiles.deleteTree(Path.of(b.tempDir()));
                deleteQuietly(Path.of(b.archivePartial()));
                yield "cleaned up an interrupted backup (" + b.archivePartial() + ")";
            }
            case JournalEntry.Attach a -> {
                if (vm != null
                        && VmDisks.spec(vm).boot().disks().stream()
                                .anyMatch(d -> d.path().equals(a.link()))) {
                    yield "volume " + a.volume() + " had been attached; kept";
                }
                qmp.ifPresent(q -> BlockDevices.byFile(q, Path.of(a.link()))
                        .ifPresent(d -> BlockDevices.unplug(q, Path.of(a.link()), VolumeAttachments.UNPLUG_TIMEOUT)));
                deleteQuietly(Path.of(a.link()));
                yield "undid the half-done attach of " + a.volume();
            }
            case JournalEntry.LayerSnapshotCreate c -> snapshotOps.settleContainer(vm, c);
            case JournalEntry.LayerSnapshotDelete c -> snapshotOps.settleContainer(vm, c);
            case JournalEntry.LayerSnapshotRollback c -> snapshotOps.settleContainer(vm, c);
            case JournalEntry.Detach d -> {
                qmp.ifPresent(q -> BlockDevices.byFile(q, Path.of(d.link()))
                        .ifPresent(x -> BlockDevices.unplug(q, Path.of(d.link()), VolumeAttachments.UNPLUG_TIMEOUT)));
                if (vm != null) {
                    attachments.finishDetach(vm.id(), d.link());
                } else {
                    deleteQuietly(Path.of(d.link()));
                }
                yield "finished detaching " + d.volume();
            }
        };
    }

    /**
     * An operation that paused the guest (a snapshot) may have ended while no daemon listened, so the stored state can
     * say paused while QEMU runs again, or the reverse. QEMU's own answer wins.
     */
    private void syncRunState(String instanceId) {
        var qmp = live.ifConnected(instanceId);
        Instance vm = instances.byId(instanceId).orElse(null);
        if (qmp.isEmpty() || vm == null) {
            return;
        }
        boolean running = qmp.get().queryStatus().running();
        if (running && vm.state() instanceof InstanceState.Paused) {
            lifecycle.on(instanceId, new LifecycleEvent.Resumed());
        } else if (!running && vm.state() instanceof InstanceState.Running) {
            lifecycle.on(instanceId, new LifecycleEvent.Paused());
        }
    }

    /** Links to volumes that no spec lists, and template directories of VMs that are gone. */
    private List<String> orphans() {
        var out = new ArrayList<String>();
        var ids = new HashSet<String>();
        for (Instance i : instances.list()) {
            ids.add(i.id());
            if (!(i.spec() instanceof VmSpec spec)) {
                continue;
            }
            Path dir = disks.volumesDir(i);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            var listed =
                    spec.boot().disks().stream().map(d -> Path.of(d.path())).toList();
            for (Path f : list(dir)) {
                if (!listed.contains(f)) {
                    deleteQuietly(f);
                    out.add("removed " + f + ", a volume link no VM lists");
                }
            }
        }
        Path templates = disks.templatesDir();
        if (Files.isDirectory(templates)) {
            for (Path t : list(templates)) {
                if (!ids.contains(t.getFileName().toString())) {
                    AtomicFiles.deleteTree(t);
                    out.add("removed " + t + ", the disks of a template that is gone");
                }
            }
        }
        return out;
    }

    private static List<String> removePartials(Path dir) {
        var out = new ArrayList<String>();
        if (Files.isDirectory(dir)) {
            for (Path f : list(dir)) {
                if (f.getFileName().toString().endsWith(".partial")) {
                    deleteQuietly(f);
                    out.add("removed the unfinished backup " + f);
                }
            }
        }
        return out;
    }

    private static List<String> existing(List<String> paths) {
        return paths.stream().filter(p -> Files.exists(Path.of(p))).toList();
    }

    private static List<Path> list(Path dir) {
        try (var s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove " + p + ": " + e.getMessage());
        }
    }
}
