package dev.vessel.engine.storage;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.Names;
import dev.vessel.core.task.Task;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.task.TaskContext;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.model.Snapshot;
import dev.vessel.model.SnapshotRequest;
import dev.vessel.qemu.ImageTool;
import dev.vessel.qemu.block.BlockDevices;
import dev.vessel.qemu.block.LiveSnapshots;
import dev.vessel.qemu.qmp.QmpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * VM snapshots as internal qcow2 snapshots with the same tag in every writable disk, in a tree with parents (see
 * docs/architecture.md for why internal and not external overlays). Taking one, rolling back to any node and removing
 * one are each a task and a journaled sequence. A container's snapshots (copies of its writable layer) share the tree,
 * the store and the commands; {@link ContainerSnapshotOps} makes them.
 */
public final class SnapshotOps {
    static final Duration RAM_TIMEOUT = Duration.ofMinutes(30);
    private static final DateTimeFormatter AUTO_NAME =
            DateTimeFormatter.ofPattern("'snap-'yyyyMMdd'-'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final InstanceOps ops;
    private final SnapshotStore store;
    private final VmDisks disks;
    private final LiveVm live;
    private final ImageTool qemuImg;
    private final VmOpLocks locks;
    private final Journal journal;
    private final TaskRunner tasks;
    private final EventBus events;
    private final Clock clock;
    private final ContainerSnapshotOps containers;

    public SnapshotOps(
            InstanceOps ops,
            SnapshotStore store,
            VmDisks disks,
            LiveVm live,
            ImageTool qemuImg,
            VmOpLocks locks,
            Journal journal,
            TaskRunner tasks,
            EventBus events,
            Clock clock,
            ContainerLayers containerLayers) {
        this.containers = new ContainerSnapshotOps(containerLayers, store, locks, journal, tasks, events, clock);
        this.ops = ops;
        this.store = store;
        this.disks = disks;
        this.live = live;
        this.qemuImg = qemuImg;
        this.locks = locks;
        this.journal = journal;
        this.tasks = tasks;
        this.events = events;
        this.clock = clock;
    }

    /**
     * An instance's tree: every node with its parent, and the node it descends from now.
     *
     * @param vm the instance's name (a VM or a container; the field keeps its first name for API compatibility)
     */
    public dev.vessel.model.SnapshotTree list(String vmName) {
        Instance vm = ops.get(vmName);
        if (vm.kind() != InstanceKind.CONTAINER) {
            VmDisks.spec(vm);
        }
        return new dev.vessel.model.SnapshotTree(
                vmName,
                vm.kind().name().toLowerCase(Locale.ROOT),
                store.current(vm.id()).orElse(null),
                store.list(vm.id()));
    }

    public Task create(String vmName, SnapshotRequest r) {
        Instance vm = ops.get(vmName);
        String tag = r == null || r.name() == null
                ? AUTO_NAME.format(clock.instant())
                : Names.requireValid("name", r.name());
        boolean ram = r != null && Boolean.TRUE.equals(r.ram());
        String description = r == null ? null : r.description();
        if (description != null
                && (description.length() > 1024 || description.chars().anyMatch(c -> c < 0x20 && c != '\n'))) {
            throw VesselException.invalid("description", "must be at most 1024 printable characters");
        }
        if (vm.kind() == InstanceKind.CONTAINER) {
            if (ram) {
                throw VesselException.invalid(
                        "ram", "a container has no RAM state to save; its snapshots hold its writable layer");
            }
            return containers.create(vm, tag, description);
        }
        if (VmDisks.spec(vm).template()) {
            throw VesselException.state(
                    "vm '" + vmName + "' is a template; its disks are read-only and keep the snapshots they had");
        }
        var held = locks.acquire(vm.id(), vmName, "snapshot " + tag);
        try {
            var qmp = live.qmp(vm);
            if (ram && qmp.isEmpty()) {
                throw VesselException.state(
                        "vm '" + vmName + "' is " + vm.state().label() + ": a snapshot with RAM needs a running VM");
            }
            var covered = disks.snapshottable(vm);
            if (store.get(vm.id(), tag).isPresent()) {
                throw VesselException.exists("snapshot", tag);
            }
            for (var e : covered) {
                if (qemuImg.snapshotTags(e.path()).contains(tag)) {
                    throw new VesselException(
                            ProblemType.ALREADY_EXISTS,
                            "disk " + e.path().getFileName() + " already has a snapshot '" + tag + "'",
                            Map.of("snapshot", tag),
                            null);
                }
            }
            List<String> paths = covered.stream().map(e -> e.disk().path()).toList();
            return tasks.submit("snapshot", vmName, ctx -> {
                try (held) {
                    take(ctx, vm, tag, ram, description, paths, qmp.orElse(null));
                }
            });
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    private void take(
            TaskContext ctx,
            Instance vm,
            String tag,
            boolean ram,
            String description,
            List<String> paths,
            QmpClient qmp) {
        String parent = store.current(vm.id()).orElse(null);
        boolean running = qmp != null && qmp.queryStatus().running();
        String jid = journal.begin(vm.id(), new JournalEntry.SnapshotCreate(tag, paths, running));
        double pause;
        double[] freezeMillis = {0};
        int[] frozen = {0};
        var vmPaths = disks.paths(vm);
        Runnable tpm = VmDisks.spec(vm).platform().tpm() && !ram ? () -> TpmStates.save(vmPaths, tag) : () -> {};
        try {
            if (running && !ram) {
                // Consistent, not only crash-consistent: the agent flushes and holds the guest's file systems still
                // for the instant of the tags (a snapshot with RAM needs no freeze: it resumes exactly where it was).
                long f0 = System.nanoTime();
                try (var freeze = live.freeze(vm)) {
                    frozen[0] = freeze.frozen();
                    if (freeze.frozen() == 0) {
                        ctx.log("no fs-freeze (" + freeze.reason() + "): the snapshot is crash-consistent");
                    } else {
                        ctx.log("guest agent froze " + freeze.frozen() + " file system(s)");
                    }
                    pause = takeOnDisks(ctx, tag, ram, paths, qmp, tpm);
                } finally {
                    freezeMillis[0] = frozen[0] == 0 ? 0 : (System.nanoTime() - f0) / 1e6;
                }
            } else {
                pause = takeOnDisks(ctx, tag, ram, paths, qmp, tpm);
            }
        } catch (RuntimeException e) {
            // Undo at once what got made; if even that fails, the journal row makes the next start try again.
            removeTag(qmp, paths, tag);
            TpmStates.remove(vmPaths, tag);
            journal.end(jid);
            throw e;
        }
        var snap = new Snapshot(
                tag,
                parent,
                description,
                ram,
                qmp != null,
                pause,
                paths,
                clock.instant(),
                null,
                frozen[0],
                freezeMillis[0]);
        store.add(vm.id(), snap);
        journal.end(jid);
        events.publish("snapshot-created", "vm", vm.name(), Map.of("snapshot", tag, "ram", ram, "pauseMillis", pause));
        ctx.report(
                1.0,
                "snapshot '" + tag + "' of " + vm.name() + (parent == null ? "" : " (parent '" + parent + "')")
                        + (ram ? ", with RAM" : ", disk-only")
                        + (qmp != null ? String.format(Locale.ROOT, ", guest paused %.1f ms", pause) : "")
                        + (frozen[0] > 0
                                ? String.format(
                                        Locale.ROOT,
                                        ", %d file system(s) frozen for %.1f ms",
                                        frozen[0],
                                        freezeMillis[0])
                                : ""));
    }

    /** Makes the tag in every disk; returns how long the guest was paused (0 when the VM is stopped). */
    private double takeOnDisks(
            TaskContext ctx, String tag, boolean ram, List<String> paths, QmpClient qmp, Runnable tpm) {
        double pause;
        if (qmp != null) {
            List<String> nodes = nodes(qmp, paths);
            ctx.report(
                    0.1,
                    (ram ? "saving disks and RAM" : "snapshotting " + nodes.size() + " disk(s) under a short pause")
                            + " as '" + tag + "'");
            var p = ram
                    ? LiveSnapshots.withRam(qmp, nodes.getFirst(), nodes, tag, RAM_TIMEOUT)
                    : LiveSnapshots.diskOnly(qmp, nodes, tag, tpm);
            pause = p.exactMillis();
        } else {
            ctx.report(0.1, "snapshotting " + paths.size() + " disk(s) of the stopped VM as '" + tag + "'");
            for (String d : paths) {
                qemuImg.snapshotCreate(Path.of(d), tag);
            }
            tpm.run();
            pause = 0;
        }
        return pause;
    }

    /** The top node of each disk, found by its file (hot-plugged volumes have generated node names). */
    static List<String> nodes(QmpClient qmp, List<String> paths) {
        var all = BlockDevices.list(qmp);
        var out = new ArrayList<String>();
        for (String p : paths) {
            out.add(all.stream()
                    .filter(d -> d.file().equals(p))
                    .findFirst()
                    .orElseThrow(() -> VesselException.state("QEMU does not have " + p + " open"))
                    .nodeName());
        }
        return out;
    }

    public Task rollback(String vmName, String tag) {
        Instance vm = ops.get(vmName);
        Snapshot snap = store.get(vm.id(), tag).orElseThrow(() -> VesselException.notFound("snapshot", tag));
        if (vm.kind() == InstanceKind.CONTAINER) {
            return containers.rollback(vm, snap);
        }
        var held = locks.acquire(vm.id(), vmName, "rollback to " + tag);
        try {
            var now = disks.snapshottable(vm).stream().map(e -> e.disk().path()).toList();
            if (!now.equals(snap.disks())) {
                throw VesselException.state("snapshot '" + tag + "' covers " + names(snap.disks()) + " but vm '"
                        + vmName + "' now has " + names(now) + "; attach or detach volumes to match first");
            }
            var qmp = live.qmp(vm);
            if (qmp.isPresent() && !snap.ram()) {
                throw VesselException.state("vm '" + vmName + "' is running and '" + tag
                        + "' has no RAM state; stop the VM to roll back its disks");
            }
            return tasks.submit("rollback", vmName, ctx -> {
                try (held) {
                    revert(ctx, vm, snap, qmp.orElse(null));
                }
            });
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    private void revert(TaskContext ctx, Instance vm, Snapshot snap, QmpClient qmp) throws Exception {
        String jid = journal.begin(vm.id(), new JournalEntry.SnapshotRollback(snap.name(), snap.disks()));
        if (qmp == null) {
            ctx.report(0.1, "reverting " + snap.disks().size() + " disk(s) to '" + snap.name() + "'");
            int reverted = 0;
            try {
                for (String d : snap.disks()) {
                    qemuImg.snapshotApply(Path.of(d), snap.name());
                    reverted++;
                }
                if (VmDisks.spec(vm).platform().tpm() && TpmStates.restore(disks.paths(vm), snap.name())) {
                    ctx.log("the TPM state is back at '" + snap.name() + "' too");
                }
            } catch (RuntimeException e) {
                if (reverted == 0) {
                    journal.end(jid); // nothing changed
                } else {
                    ctx.log("rollback stopped after " + reverted + " disk(s); the next daemon start finishes it");
                }
                throw e;
            }
        }
        store.setCurrent(vm.id(), snap.name());
        journal.end(jid);
        if (snap.ram()) {
            if (qmp == null) {
                // As Proxmox does: a snapshot with RAM is a running machine, so it comes back running.
                ctx.report(0.4, "starting the VM to load its RAM state");
                locksReleasedStart(ctx, vm);
                qmp = live.qmp(ops.get(vm.name())).orElseThrow(() -> VesselException.state("the VM did not come up"));
            }
            ctx.report(0.7, "loading disks and RAM of '" + snap.name() + "'");
            var p = LiveSnapshots.load(
                    qmp, nodes(qmp, snap.disks()).getFirst(), nodes(qmp, snap.disks()), snap.name(), RAM_TIMEOUT);
            ctx.log(String.format(Locale.ROOT, "guest paused %.1f ms while its state was loaded", p.exactMillis()));
        }
        events.publish("snapshot-rollback", "vm", vm.name(), Map.of("snapshot", snap.name()));
        ctx.report(
                1.0,
                "vm " + vm.name() + " is back at '" + snap.name() + "'"
                        + (snap.ram() ? " (disks and RAM)" : " (disks)"));
    }

    /** Starts the VM from inside the rollback task; the storage lock is still ours, so the start guard is bypassed by design. */
    private void locksReleasedStart(TaskContext ctx, Instance vm) throws InterruptedException {
        Task t = startIgnoringLock(vm);
        Task end = tasks.await(t.id(), Duration.ofMinutes(10));
        if (!end.state().equals(dev.vessel.core.task.TaskState.SUCCEEDED)) {
            throw VesselException.state("starting vm '" + vm.name() + "' failed: "
                    + (end.error() == null ? end.state().label() : end.error().detail()));
        }
        ctx.log("vm " + vm.name() + " started");
    }

    private Task startIgnoringLock(Instance vm) {
        String op = locks.holder(vm.id());
        locks.releaseFor(vm.id());
        try {
            return ops.start(vm.name(), false, Duration.ofMinutes(5));
        } finally {
            locks.reacquire(vm.id(), op);
        }
    }

    public Task delete(String vmName, String tag) {
        Instance vm = ops.get(vmName);
        Snapshot snap = store.get(vm.id(), tag).orElseThrow(() -> VesselException.notFound("snapshot", tag));
        if (vm.kind() == InstanceKind.CONTAINER) {
            return containers.delete(vm, tag);
        }
        var held = locks.acquire(vm.id(), vmName, "removing snapshot " + tag);
        try {
            var qmp = live.qmp(vm);
            var present = disks.of(vm).stream().map(e -> e.disk().path()).toList();
            var paths = snap.disks().stream().filter(present::contains).toList();
            return tasks.submit("snapshot-rm", vmName, ctx -> {
                try (held) {
                    String jid = journal.begin(vm.id(), new JournalEntry.SnapshotDelete(tag, paths));
                    ctx.report(
                            0.1,
                            "removing '" + tag + "' from " + paths.size() + " disk(s); its children keep their data");
                    removeTag(qmp.orElse(null), paths, tag);
                    TpmStates.remove(disks.paths(vm), tag);
                    store.remove(vm.id(), tag);
                    journal.end(jid);
                    events.publish("snapshot-removed", "vm", vmName, Map.of("snapshot", tag));
                    ctx.report(1.0, "removed snapshot '" + tag + "' of " + vmName);
                }
            });
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** Settles a container snapshot operation a crash interrupted (the instance may be gone). */
    String settleContainer(Instance container, JournalEntry entry) {
        return containers.settle(container, entry);
    }

    /** Removes a tag from every disk that still has it; repeatable. */
    void removeTag(QmpClient qmp, List<String> paths, String tag) {
        if (qmp != null) {
            var open = BlockDevices.list(qmp);
            var nodes = new ArrayList<String>();
            for (String p : paths) {
                open.stream().filter(d -> d.file().equals(p)).findFirst().ifPresent(d -> nodes.add(d.nodeName()));
            }
            LiveSnapshots.delete(qmp, nodes, tag);
            return;
        }
        for (String p : paths) {
            Path d = Path.of(p);
            if (Files.exists(d) && qemuImg.snapshotTags(d).contains(tag)) {
                qemuImg.snapshotDelete(d, tag);
            }
        }
    }

    private static String names(List<String> paths) {
        return paths.stream()
                .map(p -> Path.of(p).getFileName().toString())
                .toList()
                .toString();
    }
}
