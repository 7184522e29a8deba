package dev.vessel.engine.instance;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.core.model.StopReason;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.task.TaskRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What happens after a container's process or a VM's QEMU ends: {@code --rm} removes a container, a restart policy
 * starts either again, with Docker's back-off (100 ms, doubling up to a minute; back to the start after 10 s of
 * running). For a VM, the guest powering itself off is a clean exit (as a container's exit code 0) and QEMU dying is
 * a failure. The same rules run once when the daemon starts, for what ended while it was down, and there {@code
 * always} also brings back one the user had stopped, as Docker does.
 */
public final class RestartSupervisor {
    private static final System.Logger LOG = System.getLogger(RestartSupervisor.class.getName());
    private static final Duration FIRST_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_DELAY = Duration.ofMinutes(1);
    private static final Duration STABLE = Duration.ofSeconds(10);
    private static final Set<StopReason> USER_STOPS =
            Set.of(StopReason.STOPPED, StopReason.STOP_TIMEOUT_KILLED, StopReason.KILLED);

    private final InstanceStore store;
    private final InstanceOps ops;
    private final TaskRunner tasks;
    private final EventBus events;
    private final Clock clock;
    private final RestartCounts counts;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    public RestartSupervisor(
            InstanceStore store,
            InstanceOps ops,
            TaskRunner tasks,
            EventBus events,
            Clock clock,
            RestartCounts counts) {
        this.counts = counts;
        this.store = store;
        this.ops = ops;
        this.tasks = tasks;
        this.events = events;
        this.clock = clock;
    }

    /** Follows container exits from now on, then applies the rules to what ended while the daemon was down. */
    public void start() {
        events.subscribe(e -> {
            if (("container".equals(e.kind()) || "vm".equals(e.kind())) && InstanceOps.ENDED.contains(e.type())) {
                // Events are published under the instance's lock: act on another thread.
                Thread.ofVirtual()
                        .name("supervise-" + e.name())
                        .start(() -> store.byName(e.name()).ifPresent(i -> apply(i, false)));
            }
        });
        for (Instance i : store.list()) {
            apply(i, true);
        }
    }

    /** How many times the supervisor restarted the container since it last ran for a while (inspect shows it). */
    public int restartCount(String instanceId) {
        return counts.count(instanceId);
    }

    void apply(Instance i, boolean daemonStart) {
        if (!(i.state() instanceof InstanceState.Stopped stopped)) {
            return;
        }
        RestartPolicy policy;
        switch (i.spec()) {
            case ContainerSpec c -> {
                if (c.autoRemove()) {
                    if (!restartRunning(i.name())) {
                        remove(i);
                    }
                    return;
                }
                policy = c.restart();
            }
            case dev.vessel.core.model.VmSpec vm -> {
                if (vm.template()) {
                    return;
                }
                policy = vm.restart();
            }
        }
        apply(i, stopped, policy, daemonStart);
    }

    private void apply(Instance i, InstanceState.Stopped stopped, RestartPolicy policy, boolean daemonStart) {
        String kind = i.kind().label();
        if (!shouldRestart(policy, stopped, daemonStart) || !pending.add(i.id())) {
            return;
        }
        var entry = counts.get(i.id()).orElse(new RestartCounts.Entry(0, null));
        Instant started = entry.lastStart();
        // a run that lasted a while starts the count afresh (as docker does)
        int previous =
                started != null && Duration.between(started, stopped.since()).compareTo(STABLE) >= 0
                        ? 0
                        : entry.count();
        int count = previous + 1;
        if (policy.mode() == RestartPolicy.Mode.ON_FAILURE && policy.maxRetries() > 0 && count > policy.maxRetries()) {
            pending.remove(i.id());
            counts.put(i.id(), policy.maxRetries(), started);
            events.publish("restart-gave-up", kind, i.name(), Map.of("restarts", policy.maxRetries()));
            return;
        }
        Duration delay = daemonStart ? Duration.ZERO : backoff(count);
        Thread.ofVirtual().name("restart-" + i.name()).start(() -> restartLater(i, stopped, delay, count));
    }

    static boolean shouldRestart(RestartPolicy policy, InstanceState.Stopped s, boolean daemonStart) {
        boolean userStop = USER_STOPS.contains(s.reason());
        return switch (policy.mode()) {
            case NO -> false;
            case ALWAYS -> daemonStart || !userStop;
            case UNLESS_STOPPED -> !userStop;
            case ON_FAILURE ->
                !userStop
                        && s.reason() != StopReason.GUEST_SHUTDOWN
                        && (s.reason() != StopReason.EXITED || s.exitCode() == null || s.exitCode() != 0);
        };
    }

    static Duration backoff(int count) {
        long ms = FIRST_DELAY.toMillis() << Math.min(20, Math.max(0, count - 1));
        return Duration.ofMillis(Math.min(ms, MAX_DELAY.toMillis()));
    }

    private void restartLater(Instance i, InstanceState.Stopped stopped, Duration delay, int count) {
        try {
            Thread.sleep(delay);
            var now = store.byId(i.id());
            // The user may have started, removed or changed it meanwhile: only the same stop is acted on.
            if (now.isEmpty()
                    || !(now.get().state() instanceof InstanceState.Stopped s)
                    || !s.since().equals(stopped.since())) {
                return;
            }
            counts.put(i.id(), count, clock.instant());
            events.publish(
                    "restarting",
                    i.kind().label(),
                    i.name(),
                    Map.of("restartCount", count, "reason", stopped.reason().label()));
            ops.start(i.name(), false, Duration.ofMinutes(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (VesselException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "restarting " + i.kind().label() + " " + i.name() + " failed: " + e.getMessage());
        } finally {
            pending.remove(i.id());
        }
    }

    private void remove(Instance i) {
        try {
            ops.remove(i.name(), false);
        } catch (VesselException e) {
            LOG.log(System.Logger.Level.INFO, "auto-removal of " + i.name() + " skipped: " + e.getMessage());
        }
    }

    private boolean restartRunning(String name) {
        return tasks.list(50, dev.vessel.core.model.ProjectKey.projectOf(name)).stream()
                .anyMatch(t -> t.operation().equals("restart")
                        && name.equals(t.target())
                        && !t.state().done());
    }
}
