package dev.vessel.core.driver.fake;

import dev.vessel.core.model.StopReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The machine the fake drivers act on: workloads that outlive any one driver (as QEMU and runc containers outlive the
 * daemon), what each driver left on the "host", and knobs for what real hosts do to workloads (they crash, ignore a
 * stop request, fail to start, take their time).
 */
public final class FakeHost {
    /** One workload process. Mutable flags only; the host's lock guards them. */
    public static final class Workload {
        public final String instanceId;
        public final long pid;
        public final Instant startedAt;
        volatile boolean alive = true;
        volatile boolean ignoresStop;

        Workload(String instanceId, long pid, Instant startedAt) {
            this.instanceId = instanceId;
            this.pid = pid;
            this.startedAt = startedAt;
        }

        public boolean alive() {
            return alive;
        }
    }

    /** A workload ended: the driver watching it (if any) reports this. */
    record Ending(StopReason reason, String detail, Integer exitCode) {}

    private final AtomicLong pids = new AtomicLong(40_000);
    private final Map<String, Workload> workloads = new ConcurrentHashMap<>();
    private final Map<String, Boolean> leftovers = new ConcurrentHashMap<>();
    private final Map<String, RuntimeException> startFailures = new ConcurrentHashMap<>();
    private final List<FakeInstanceDriver> drivers = new CopyOnWriteArrayList<>();
    private final List<String> starts = new CopyOnWriteArrayList<>();
    private volatile Semaphore startGate;

    /** The live workload of an instance, if one runs. */
    public Optional<Workload> workload(String instanceId) {
        return Optional.ofNullable(workloads.get(instanceId)).filter(Workload::alive);
    }

    public boolean alive(long pid) {
        return workloads.values().stream().anyMatch(w -> w.pid == pid && w.alive);
    }

    /** Whether a driver left files, containers or the like for the instance that {@code remove} has not taken away. */
    public boolean hasLeftovers(String instanceId) {
        return leftovers.containsKey(instanceId);
    }

    /** Every instance id a start was attempted for, in order (to count starts under concurrency). */
    public List<String> starts() {
        return List.copyOf(starts);
    }

    /** The next start of this instance fails with the exception, leaving nothing running. */
    public void failNextStart(String instanceId, RuntimeException failure) {
        startFailures.put(instanceId, failure);
    }

    /** Starts block until {@link #releaseStarts} lets them through (one permit per start). */
    public void holdStarts() {
        startGate = new Semaphore(0);
    }

    public void releaseStarts(int permits) {
        startGate.release(permits);
    }

    /** The workload will not heed a graceful stop: stop waits out its timeout and kills it. */
    public void ignoreStops(String instanceId) {
        workload(instanceId).orElseThrow().ignoresStop = true;
    }

    /** The workload ends on its own (a crash, a guest shutdown, a container process that exits). */
    public void end(String instanceId, StopReason reason, Integer exitCode) {
        var w = workloads.get(instanceId);
        if (w == null || !w.alive) {
            throw new IllegalStateException("no live workload for " + instanceId);
        }
        w.alive = false;
        var ending = new Ending(reason, "fake workload ended: " + reason.phrase(), exitCode);
        drivers.forEach(d -> d.ended(w, ending));
    }

    void register(FakeInstanceDriver driver) {
        drivers.add(driver);
    }

    Workload launch(String instanceId) throws InterruptedException {
        starts.add(instanceId);
        var gate = startGate;
        if (gate != null) {
            gate.acquire();
        }
        var failure = startFailures.remove(instanceId);
        if (failure != null) {
            throw failure;
        }
        var existing = workload(instanceId);
        if (existing.isPresent()) {
            throw new IllegalStateException("instance " + instanceId + " already runs as pid " + existing.get().pid
                    + ": the engine started it twice");
        }
        var w = new Workload(instanceId, pids.incrementAndGet(), Instant.now());
        workloads.put(instanceId, w);
        leftovers.put(instanceId, true);
        return w;
    }

    void stopped(Workload w) {
        w.alive = false;
    }

    void removed(String instanceId) {
        leftovers.remove(instanceId);
        workloads.remove(instanceId);
    }
}
