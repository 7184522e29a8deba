package dev.vessel.core.driver.fake;

import dev.vessel.core.driver.DriverEvents;
import dev.vessel.core.driver.InstanceDriver;
import dev.vessel.core.driver.InstanceUsage;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.LifecycleEvent;
import dev.vessel.core.model.RuntimeInfo;
import dev.vessel.core.model.StopReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A driver over a {@link FakeHost}: it keeps the promises of {@link InstanceDriver} (and passes its contract) without
 * QEMU or runc, so that the engine's operations can be tested without root. Like a real driver it watches the
 * workloads it started or adopted and reports their exits; {@link #detachAll} stops the watching, as a daemon that
 * exits does.
 */
public final class FakeInstanceDriver implements InstanceDriver {
    private static final long MEMORY = 256L << 20;

    private final InstanceKind kind;
    private final FakeHost host;
    private final DriverEvents events;
    private final Map<String, FakeHost.Workload> watched = new ConcurrentHashMap<>();

    public FakeInstanceDriver(InstanceKind kind, FakeHost host, DriverEvents events) {
        this.kind = kind;
        this.host = host;
        this.events = events;
        host.register(this);
    }

    @Override
    public InstanceKind kind() {
        return kind;
    }

    @Override
    public RuntimeInfo start(Instance instance, Progress progress) {
        requireKind(instance);
        FakeHost.Workload w;
        try {
            w = host.launch(instance.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + instance.name(), e);
        }
        watched.put(instance.id(), w);
        if (!w.alive && watched.remove(instance.id(), w)) {
            // Killed between its launch and now, before anyone watched it: as with QEMU whose QMP socket closes
            // during the start, the start fails rather than report a runtime that is gone.
            throw new IllegalStateException(instance.name() + " ended while it started");
        }
        progress.report(0.5, "fake workload pid " + w.pid);
        return runtime(instance, w);
    }

    @Override
    public void stop(Instance instance, Duration timeout) {
        var w = host.workload(instance.id()).orElse(null);
        if (w == null) {
            return;
        }
        if (w.ignoresStop) {
            // As QEMU's stop: wait for the process to end (a kill may end it first), up to the timeout, then kill.
            long deadline = System.nanoTime() + timeout.toNanos();
            while (w.alive
                    && System.nanoTime() < deadline
                    && !Thread.currentThread().isInterrupted()) {
                sleep(Duration.ofMillis(5));
            }
            if (w.alive) {
                end(w, StopReason.STOP_TIMEOUT_KILLED);
            }
        } else {
            end(w, StopReason.STOPPED);
        }
    }

    @Override
    public void kill(Instance instance) {
        host.workload(instance.id()).ifPresent(w -> end(w, StopReason.KILLED));
    }

    @Override
    public Optional<RuntimeInfo> adopt(Instance instance) {
        var w = host.workload(instance.id());
        if (w.isEmpty()) {
            host.removed(instance.id());
            return Optional.empty();
        }
        watched.put(instance.id(), w.get());
        return Optional.of(runtime(instance, w.get()));
    }

    @Override
    public void remove(Instance instance) {
        if (host.workload(instance.id()).isPresent()) {
            throw new IllegalStateException("remove of " + instance.name() + " while its workload runs");
        }
        watched.remove(instance.id());
        host.removed(instance.id());
    }

    @Override
    public void detachAll() {
        watched.clear();
    }

    @Override
    public Optional<InstanceUsage> usage(Instance instance) {
        return host.workload(instance.id())
                .map(w -> new InstanceUsage(MEMORY, 40L << 20, 48L << 20, MEMORY + (64L << 20), w.pid));
    }

    /** Called by the host when a workload ends on its own. */
    void ended(FakeHost.Workload w, FakeHost.Ending ending) {
        if (watched.remove(w.instanceId, w)) {
            events.on(w.instanceId, new LifecycleEvent.Exited(ending.reason(), ending.detail(), ending.exitCode()));
        }
    }

    private void end(FakeHost.Workload w, StopReason reason) {
        host.stopped(w);
        if (watched.remove(w.instanceId, w)) {
            events.on(
                    w.instanceId,
                    new LifecycleEvent.Exited(
                            reason,
                            null,
                            kind != InstanceKind.CONTAINER ? null : reason == StopReason.STOPPED ? 143 : 137));
        }
    }

    private RuntimeInfo runtime(Instance instance, FakeHost.Workload w) {
        return new RuntimeInfo(
                "vessel-" + instance.id(),
                w.pid,
                kind == InstanceKind.VM ? "tcg" : null,
                kind == InstanceKind.VM ? "fake driver" : null,
                List.of("fake-" + kind.label(), instance.name()),
                MEMORY,
                w.startedAt);
    }

    private void requireKind(Instance instance) {
        if (instance.kind() != kind) {
            throw new IllegalArgumentException(
                    instance.name() + " is a " + instance.kind().label() + ", this driver runs " + kind.label() + "s");
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
