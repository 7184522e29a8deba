package dev.vessel.engine.storage;

import dev.vessel.container.ContainerPaths;
import dev.vessel.container.LayerCopies;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.task.Task;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.task.TaskContext;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.model.Snapshot;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Snapshots of a container's writable layer, in the same tree, store, journal and commands as VM snapshots. A running
 * container is frozen (cgroup freezer) while its layer is copied, so the copy is one moment of it; the time it was
 * frozen is reported as the pause. A rollback needs the container stopped, as in Incus; the image layers are never
 * touched.
 */
final class ContainerSnapshotOps {
    private final ContainerLayers layers;
    private final SnapshotStore store;
    private final VmOpLocks locks;
    private final Journal journal;
    private final TaskRunner tasks;
    private final EventBus events;
    private final Clock clock;

    ContainerSnapshotOps(
            ContainerLayers layers,
            SnapshotStore store,
            VmOpLocks locks,
            Journal journal,
            TaskRunner tasks,
            EventBus events,
            Clock clock) {
        this.layers = layers;
        this.store = store;
        this.locks = locks;
        this.journal = journal;
        this.tasks = tasks;
        this.events = events;
        this.clock = clock;
    }

    Task create(Instance c, String tag, String description) {
        if (store.get(c.id(), tag).isPresent()) {
            throw VesselException.exists("snapshot", tag);
        }
        var held = locks.acquire(c.id(), c.name(), "snapshot " + tag);
        try {
            return tasks.submit("snapshot", c.name(), ctx -> {
                try (held) {
                    take(ctx, c, tag, description);
                }
            });
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    private void take(TaskContext ctx, Instance c, String tag, String description) {
        String parent = store.current(c.id()).orElse(null);
        ContainerPaths paths = layers.paths(c);
        String mode = layers.mode(c);
        LayerCopies copies = layers.copies();
        boolean running = layers.running(c);
        String jid = journal.begin(c.id(), new JournalEntry.LayerSnapshotCreate(tag, running));
        double pauseMillis = 0;
        try {
            if (running) {
                ctx.report(0.1, "freezing " + c.name() + " and copying its writable layer as '" + tag + "'");
                long t0 = System.nanoTime();
                layers.freeze(c);
                try {
                    copies.copyOut(paths, mode, tag);
                } finally {
                    layers.thaw(c);
                    pauseMillis = (System.nanoTime() - t0) / 1e6;
                }
            } else {
                ctx.report(
                        0.1, "copying the writable layer of the stopped container " + c.name() + " as '" + tag + "'");
                copies.copyOut(paths, mode, tag);
            }
            copies.commit(paths, tag);
        } catch (RuntimeException e) {
            copies.discard(paths, tag);
            journal.end(jid);
            throw e;
        }
        long size = LayerCopies.size(paths, tag);
        store.add(
                c.id(),
                new Snapshot(tag, parent, description, false, running, pauseMillis, List.of(), clock.instant(), size));
        journal.end(jid);
        events.publish(
                "snapshot-created",
                "container",
                c.name(),
                Map.of("snapshot", tag, "pauseMillis", pauseMillis, "sizeBytes", size));
        ctx.report(
                1.0,
                "snapshot '" + tag + "' of " + c.name() + (parent == null ? "" : " (parent '" + parent + "')") + ", "
                        + size + " bytes of writable layer"
                        + (running ? String.format(Locale.ROOT, ", frozen %.1f ms", pauseMillis) : ""));
    }

    Task rollback(Instance c, Snapshot snap) {
        if (layers.running(c)) {
            throw VesselException.state(
                    "container '" + c.name() + "' is running; stop it to roll its writable layer back to '"
                            + snap.name() + "' (vessel container stop " + c.name() + ")");
        }
        if (layers.mounted(c)) {
            throw VesselException.state("the writable layer of container '" + c.name()
                    + "' is still mounted although it is not running; see the daemon log");
        }
        var held = locks.acquire(c.id(), c.name(), "rollback to " + snap.name());
        try {
            return tasks.submit("rollback", c.name(), ctx -> {
                try (held) {
                    revert(ctx, c, snap);
                }
            });
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    private void revert(TaskContext ctx, Instance c, Snapshot snap) {
        ContainerPaths paths = layers.paths(c);
        String mode = layers.mode(c);
        LayerCopies copies = layers.copies();
        String jid = journal.begin(c.id(), new JournalEntry.LayerSnapshotRollback(snap.name()));
        ctx.report(0.1, "copying snapshot '" + snap.name() + "' beside the writable layer of " + c.name());
        try {
            copies.restore(paths, mode, snap.name());
        } catch (RuntimeException e) {
            if (copies.settleRollback(paths, mode) == LayerCopies.Settled.FINISHED) {
                store.setCurrent(c.id(), snap.name());
            }
            copies.cleanUp(paths, mode);
            journal.end(jid);
            throw e;
        }
        store.setCurrent(c.id(), snap.name());
        copies.cleanUp(paths, mode);
        journal.end(jid);
        events.publish("snapshot-rollback", "container", c.name(), Map.of("snapshot", snap.name()));
        ctx.report(1.0, "container " + c.name() + " is back at '" + snap.name() + "' (writable layer)");
    }

    Task delete(Instance c, String tag) {
        var held = locks.acquire(c.id(), c.name(), "removing snapshot " + tag);
        try {
            return tasks.submit("snapshot-rm", c.name(), ctx -> {
                try (held) {
                    String jid = journal.begin(c.id(), new JournalEntry.LayerSnapshotDelete(tag));
                    layers.copies().delete(layers.paths(c), tag);
                    store.remove(c.id(), tag);
                    journal.end(jid);
                    events.publish("snapshot-removed", "container", c.name(), Map.of("snapshot", tag));
                    ctx.report(
                            1.0, "removed snapshot '" + tag + "' of " + c.name() + "; its children keep their copies");
                }
            });
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** Settles what a crash left of a container snapshot operation; returns what it did. */
    String settle(Instance c, JournalEntry entry) {
        if (c == null) {
            return "the container is gone, and its snapshots with it";
        }
        ContainerPaths paths = layers.paths(c);
        LayerCopies copies = layers.copies();
        return switch (entry) {
            case JournalEntry.LayerSnapshotCreate s -> {
                if (s.thaw() && layers.frozen(c)) {
                    layers.thaw(c);
                }
                if (store.get(c.id(), s.tag()).isPresent()) {
                    yield "snapshot '" + s.tag() + "' of " + c.name() + " had been stored; kept";
                }
                copies.discard(paths, s.tag());
                yield "undid the half-made snapshot '" + s.tag() + "' of " + c.name()
                        + (s.thaw() ? " (and made sure it is not frozen)" : "");
            }
            case JournalEntry.LayerSnapshotDelete s -> {
                copies.delete(paths, s.tag());
                store.remove(c.id(), s.tag());
                yield "finished removing snapshot '" + s.tag() + "' of " + c.name();
            }
            case JournalEntry.LayerSnapshotRollback s -> {
                if (layers.running(c)) {
                    yield "rollback of " + c.name() + " to '" + s.tag() + "': the container runs again; left as it is";
                }
                String mode = layers.mode(c);
                var outcome = copies.settleRollback(paths, mode);
                if (outcome == LayerCopies.Settled.FINISHED) {
                    store.setCurrent(c.id(), s.tag());
                }
                copies.cleanUp(paths, mode);
                yield outcome == LayerCopies.Settled.FINISHED
                        ? "finished rolling " + c.name() + " back to '" + s.tag() + "'"
                        : "undid the rollback of " + c.name() + " to '" + s.tag() + "' (its layer is as it was)";
            }
            default -> throw new IllegalArgumentException("not a container snapshot operation: " + entry);
        };
    }
}
