package dev.vessel.engine.instance;

import dev.vessel.core.driver.DriverEvents;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.Lifecycle;
import dev.vessel.core.model.LifecycleEvent;
import dev.vessel.core.model.StopReason;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.core.task.Task;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.task.TaskContext;
import dev.vessel.engine.task.TaskRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lifecycle operations on instances of either kind: start, stop, kill, restart and remove. Every state change goes
 * through {@link Lifecycle} and is stored before the next step, so a crash at any point leaves a state that adoption
 * can reconcile.
 */
public final class InstanceOps implements DriverEvents {
    private static final System.Logger LOG = System.getLogger(InstanceOps.class.getName());

    private final InstanceStore store;
    private final Drivers drivers;
    private final Lifecycle lifecycle;
    private final TaskRunner tasks;
    private final EventBus events;
    private final ReadyWaiter ready;
    /** The event types that say an instance's workload ended, whatever the reason (see {@link #publish}). */
    public static final java.util.Set<String> ENDED = java.util.Set.of("stopped", "crashed", "oom", "start-failed");

    private static final Duration REMOVE_WAIT = Duration.ofSeconds(30);

    private final InstanceLocks locks = new InstanceLocks();
    private final TurnTasks turns;
    private final java.util.List<InstanceGuard> guards = new java.util.concurrent.CopyOnWriteArrayList<>();

    public InstanceOps(
            InstanceStore store,
            Drivers drivers,
            Lifecycle lifecycle,
            TaskRunner tasks,
            EventBus events,
            ReadyWaiter ready) {
        this.store = store;
        this.drivers = drivers;
        this.lifecycle = lifecycle;
        this.tasks = tasks;
        this.turns = new TurnTasks(store, tasks);
        this.events = events;
        this.ready = ready;
    }

    /** Adds a guard that may veto starts and removals (storage: templates, operations in progress). */
    public void addGuard(InstanceGuard guard) {
        guards.add(guard);
    }

    public java.util.Optional<Instance> find(String name) {
        return store.byName(name);
    }

    public Instance get(String name) {
        return store.byName(name).orElseThrow(() -> VesselException.notFound("instance", name));
    }

    /** Applies a state change under the instance's lock and stores it; returns the stored instance. */
    Instance transition(String id, LifecycleEvent event) {
        return locks.with(id, () -> {
            Instance current = store.byId(id).orElseThrow(() -> VesselException.notFound("instance", id));
            Instance next = current.withState(lifecycle.next(current.name(), current.state(), event));
            if (next.state() instanceof InstanceState.Stopped) {
                next = next.withRuntime(null);
            }
            store.update(next);
            publish(next, event);
            return next;
        });
    }

    /** Announces a new instance on the event stream (creators call it once it is stored). */
    public Instance created(Instance i) {
        var data = new LinkedHashMap<String, Object>();
        data.put("state", i.state().label());
        data.put("id", i.id());
        if (i.spec() instanceof dev.vessel.core.model.ContainerSpec c) {
            // what a replay of the stream needs once the container is gone (Docker's events carry both)
            data.put("image", c.image());
            if (!c.labels().isEmpty()) {
                data.put("labels", c.labels());
            }
        }
        events.publish("created", i.kind().label(), i.name(), data);
        return i;
    }

    private void publish(Instance i, LifecycleEvent event) {
        var data = new LinkedHashMap<String, Object>();
        data.put("state", i.state().label());
        if (i.state() instanceof InstanceState.Stopped s) {
            data.put("reason", s.reason().label());
            if (s.detail() != null) {
                data.put("detail", s.detail());
            }
            if (s.exitCode() != null) {
                data.put("exitCode", s.exitCode());
            }
        }
        String type = switch (event) {
            case LifecycleEvent.StartRequested s -> "starting";
            case LifecycleEvent.Started s -> "started";
            case LifecycleEvent.StartFailed s -> "start-failed";
            case LifecycleEvent.StopRequested s -> "stopping";
            case LifecycleEvent.Paused p -> "paused";
            case LifecycleEvent.Adopted a -> "adopted";
            case LifecycleEvent.Reset r -> "reset";
            case LifecycleEvent.Resumed r -> "resumed";
            case LifecycleEvent.Exited e ->
                switch (e.reason()) {
                    case CRASHED -> "crashed";
                    case OOM_KILLED -> "oom";
                    default -> "stopped";
                };
        };
        events.publish(type, i.kind().label(), i.name(), data);
    }

    /**
     * Changes an instance's spec under its lock, re-reading it first, so that a state change arriving meanwhile (a
     * QEMU event) is neither lost nor overwritten. Used by storage (attach, detach, template).
     */
    public Instance updateSpec(String id, java.util.function.UnaryOperator<dev.vessel.core.model.InstanceSpec> change) {
        return locks.with(id, () -> {
            Instance current = store.byId(id).orElseThrow(() -> VesselException.notFound("instance", id));
            Instance next = current.withSpec(change.apply(current.spec()));
            store.update(next);
            return next;
        });
    }

    /**
     * Changes an instance's spec under its lock after {@code change} saw the whole instance (its state) and made the
     * next spec, or refused; {@code admit} stores it (given the instance before, the next, and the write), and may
     * refuse too. Either way a refusal stores nothing.
     */
    public Instance updateSpecChecked(
            String id, java.util.function.Function<Instance, dev.vessel.core.model.InstanceSpec> change, Admit admit) {
        return locks.with(id, () -> {
            Instance current = store.byId(id).orElseThrow(() -> VesselException.notFound("instance", id));
            Instance next = current.withSpec(change.apply(current));
            return admit.admit(current, next, () -> {
                store.update(next);
                return next;
            });
        });
    }

    /** What stores a checked change (the project's quotas, for one). */
    @FunctionalInterface
    public interface Admit {
        Instance admit(Instance before, Instance next, java.util.function.Supplier<Instance> write);
    }

    /** Driver callbacks: QEMU's or the runtime's own news about a running instance. */
    @Override
    public void on(String instanceId, LifecycleEvent event) {
        try {
            transition(instanceId, event);
        } catch (VesselException e) {
            // A late or repeated report (a RESUME right after start, an exit after a forced stop) changes nothing.
            LOG.log(System.Logger.Level.DEBUG, "ignored " + event + " for " + instanceId + ": " + e.getMessage());
        }
    }

    /**
     * Starts an instance as a task.
     *
     * @param waitReady also wait for the guest to be ready (VMs) before the task succeeds: see {@link ReadyWaiter}
     */
    public Task start(String name, boolean waitReady, Duration readyTimeout) {
        return start(name, waitReady, readyTimeout, null);
    }

    /** @param waitPort with {@code waitReady}: wait for this TCP port of the guest to answer, or null */
    public Task start(String name, boolean waitReady, Duration readyTimeout, Integer waitPort) {
        Instance i = get(name);
        guards.forEach(g -> g.beforeStart(i));
        ReadySign sign = readySign(i, waitReady, waitPort);
        if (!(i.state() instanceof InstanceState.Stopping)) {
            // A start of what runs or starts already is refused at once; one during a stop waits for the stop.
            lifecycle.next(i.name(), i.state(), new LifecycleEvent.StartRequested());
        }
        return turns.run(
                i,
                "start",
                current -> transition(current.id(), new LifecycleEvent.StartRequested()),
                (starting, ctx, endTurn) -> runStart(starting, sign, readyTimeout, ctx, endTurn));
    }

    /** Decided before anything starts, so that a wait for a sign the VM cannot give is refused with nothing changed. */
    private ReadySign readySign(Instance i, boolean waitReady, Integer waitPort) {
        if (!waitReady || !(i.spec() instanceof VmSpec)) {
            if (waitPort != null) {
                throw VesselException.invalid("waitPort", "only a start that waits (--wait) of a VM waits for a port");
            }
            return null;
        }
        return ready.sign(i, waitPort);
    }

    private void runStart(Instance i, ReadySign sign, Duration readyTimeout, TaskContext ctx, Runnable endTurn) {
        var driver = drivers.of(i.kind());
        long logOffset = ready.offset(i);
        try {
            var runtime = driver.start(i, ctx);
            // Under the lock, so that an exit the driver reports meanwhile (a container whose process ends at once)
            // comes either after Started or instead of it, never between the runtime and the state.
            boolean endedAlready = locks.with(i.id(), () -> {
                // Gone already: a container with --rm whose process ended at once was removed after its exit.
                Instance current = store.byId(i.id()).orElse(null);
                if (current == null || !(current.state() instanceof InstanceState.Starting)) {
                    return true;
                }
                store.update(current.withRuntime(runtime));
                transition(i.id(), new LifecycleEvent.Started());
                return false;
            });
            ctx.log((endedAlready ? "ran and ended already: pid " : "running: pid ") + runtime.pid() + ", container "
                    + runtime.containerId()
                    + (runtime.accel() == null
                            ? ""
                            : ", accel " + runtime.accel() + " (" + runtime.accelReason() + ")"));
        } catch (RuntimeException e) {
            on(i.id(), new LifecycleEvent.StartFailed(e.getMessage()));
            throw e;
        }
        // Running (or ended): the state is settled, so the next operation may go while this one waits for the guest.
        endTurn.run();
        if (sign != null) {
            ctx.report(0.95, "waiting for " + sign.describe());
            ready.await(i, sign, logOffset, readyTimeout, ctx);
            ctx.log("the guest is ready: it showed " + sign.describe());
        }
    }

    public Task stop(String name, Integer timeoutSeconds) {
        Instance i = get(name);
        int timeout = timeoutSeconds != null ? timeoutSeconds : i.spec().stopTimeoutSeconds();
        if (timeout < 0 || timeout > VmSpec.MAX_STOP_TIMEOUT) {
            throw VesselException.invalid(
                    "timeout", timeout + " is outside 0.." + VmSpec.MAX_STOP_TIMEOUT + " seconds");
        }
        lifecycle.next(i.name(), i.state(), new LifecycleEvent.StopRequested());
        return turns.run(
                i,
                "stop",
                current ->
                        current.state().active() ? transition(current.id(), new LifecycleEvent.StopRequested()) : null,
                (stopping, ctx, endTurn) -> {
                    ctx.report(
                            0.1,
                            (stopping.kind() == dev.vessel.core.model.InstanceKind.VM
                                            ? "asking the guest to power off"
                                            : "sending the stop signal")
                                    + " (timeout " + timeout + " s)");
                    drivers.of(stopping.kind()).stop(stopping, Duration.ofSeconds(timeout));
                    InstanceState after = get(name).state();
                    ctx.log(after.describe());
                    if (after instanceof InstanceState.Stopped s && s.reason() == StopReason.STOP_TIMEOUT_KILLED) {
                        ctx.report(1.0, "killed after the " + timeout + " s stop timeout");
                    }
                });
    }

    /**
     * Ends an instance at once. It does not wait its turn: a stop that waits for a guest ends because its process is
     * gone. A start in progress is cancelled first, and the kill ends whatever it got going.
     */
    public Task kill(String name) {
        Instance i = get(name);
        if (!i.state().active()) {
            throw VesselException.state(
                    "instance '" + name + "' is " + i.state().label() + ": nothing to kill");
        }
        var start = turns.cancelStart(i);
        return tasks.submit("kill", name, ctx -> {
            if (start.isPresent()) {
                ctx.report(
                        0.1,
                        (start.get().taskId() == null ? "waiting for the " : "cancelled the ")
                                + start.get().operation() + " in progress; waiting for it to end");
                try (var turn = turns.take(i.id(), "kill", ctx.taskId(), TurnTasks.TURN_TIMEOUT)
                        .orElseThrow(() -> VesselException.state(
                                "the " + start.get().operation() + " of '" + name + "' did not end"))) {
                    killIfActive(name);
                }
            } else {
                killIfActive(name);
            }
        });
    }

    private void killIfActive(String name) {
        Instance now = get(name);
        if (now.state().active()) {
            drivers.of(now.kind()).kill(now);
        }
    }

    public Task restart(String name, Integer timeoutSeconds, boolean waitReady, Duration readyTimeout) {
        return restart(name, timeoutSeconds, waitReady, readyTimeout, null);
    }

    public Task restart(
            String name, Integer timeoutSeconds, boolean waitReady, Duration readyTimeout, Integer waitPort) {
        Instance i = get(name);
        guards.forEach(g -> g.beforeStart(i));
        ReadySign sign = readySign(i, waitReady, waitPort);
        return turns.run(i, "restart", current -> current, (current, ctx, endTurn) -> {
            Instance now = store.byId(current.id()).orElseThrow(() -> VesselException.notFound("instance", name));
            if (now.state().active()) {
                int timeout =
                        timeoutSeconds != null ? timeoutSeconds : now.spec().stopTimeoutSeconds();
                Instance stopping = transition(now.id(), new LifecycleEvent.StopRequested());
                ctx.report(0.1, "stopping");
                drivers.of(now.kind()).stop(stopping, Duration.ofSeconds(timeout));
            }
            Instance starting = transition(now.id(), new LifecycleEvent.StartRequested());
            ctx.report(0.5, "starting");
            runStart(starting, sign, readyTimeout, ctx, endTurn);
        });
    }

    /** Removes a stopped instance; with force, kills a running one first. */
    public void remove(String name, boolean force) {
        Instance i = get(name);
        guards.forEach(g -> g.beforeRemove(i));
        if (i.state().active()) {
            if (!force) {
                throw VesselException.state("instance '" + name + "' is "
                        + i.state().label() + "; stop it first or remove it with --force");
            }
            turns.cancelStart(i);
            drivers.of(i.kind()).kill(i);
        }
        OperationQueue.Turn turn;
        try {
            turn = turns.take(i.id(), "remove", null, REMOVE_WAIT)
                    .orElseThrow(() -> VesselException.state("instance '" + name + "' is busy with its "
                            + turns.holder(i.id())
                                    .map(OperationQueue.Holder::operation)
                                    .orElse("operation") + "; try again when it is done"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VesselException.state("interrupted while waiting to remove '" + name + "'");
        }
        try (turn) {
            locks.with(i.id(), () -> {
                Instance current = store.byId(i.id()).orElseThrow(() -> VesselException.notFound("instance", name));
                if (current.state().active()) {
                    // a kill just sent may not have been reported yet
                    throw VesselException.state(
                            "instance '" + name + "' is " + current.state().label() + " again; it was not removed");
                }
                drivers.of(i.kind()).remove(current);
                store.delete(i.id());
            });
        }
        turns.forget(i.id());
        guards.forEach(g -> g.afterRemove(i));
        events.publish("removed", i.kind().label(), name, Map.of("id", i.id()));
    }
}
