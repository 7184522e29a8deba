package dev.vessel.engine.stats;

import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.model.InstanceStats;
import dev.vessel.model.NodeStats;
import dev.vessel.qemu.QemuVmDriver;
import dev.vessel.qemu.stats.VmCounters;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loop that samples every running instance every {@link #PERIOD}: the latest sample per instance and the node's
 * totals stay in memory for the API, {@code vessel stats} and /metrics (no caller ever waits on QEMU or /proc), and
 * every finished 10-second step goes to the {@link History}. It also applies a stored balloon target once per run of
 * a VM.
 */
public final class StatsSampler implements StatsSource, AutoCloseable {
    public static final Duration PERIOD = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger(StatsSampler.class.getName());

    private final InstanceStore instances;
    private final StatsCollector collector;
    private final HostProbes probes;
    private final History history;
    private final MemoryTargets targets;
    private final QemuVmDriver vms;
    private final Clock clock;
    private final Map<String, InstanceStats> previous = new ConcurrentHashMap<>();
    private final Map<String, Step> steps = new HashMap<>();
    private final Map<String, String> targetApplied = new ConcurrentHashMap<>();
    private final BalloonPolicy policy;
    private final dev.vessel.engine.event.EventBus events;
    private volatile NodeStats latest;
    private long previousNodeBusy = -1;
    private long previousNodeAt;
    private volatile boolean closed;
    private Thread loop;

    /** @param policy the automatic balloon policy, or null when it is off */
    StatsSampler(
            InstanceStore instances,
            StatsCollector collector,
            HostProbes probes,
            History history,
            MemoryTargets targets,
            QemuVmDriver vms,
            Clock clock,
            BalloonPolicy policy,
            dev.vessel.engine.event.EventBus events) {
        this.policy = policy;
        this.events = events;
        this.instances = instances;
        this.collector = collector;
        this.probes = probes;
        this.history = history;
        this.targets = targets;
        this.vms = vms;
        this.clock = clock;
        this.latest = new NodeStats(
                clock.instant(),
                Runtime.getRuntime().availableProcessors(),
                0,
                probes.memTotal(),
                probes.memAvailable(),
                0,
                probes.memoryPressure(),
                0,
                0,
                List.of());
    }

    StatsSampler start() {
        loop = Thread.ofVirtual().name("stats-sampler").start(() -> {
            while (!closed) {
                try {
                    sampleOnce();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "stats sampling failed: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(PERIOD);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return this;
    }

    @Override
    public NodeStats node() {
        sampleMissing();
        return latest;
    }

    @Override
    public List<InstanceStats> latest() {
        return node().instances();
    }

    @Override
    public Optional<InstanceStats> latest(String name) {
        return node().instances().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * A running instance without a sample yet (it started since the last round, up to {@link #PERIOD} ago) is sampled
     * now, with everything else, so that {@code stats} right after {@code run -d} shows it as {@code ps} does.
     */
    private void sampleMissing() {
        var sampled = new java.util.HashSet<String>();
        latest.instances().forEach(s -> sampled.add(s.id()));
        boolean missing = instances.list().stream()
                .anyMatch(i -> (i.state() instanceof InstanceState.Running || i.state() instanceof InstanceState.Paused)
                        && !sampled.contains(i.id()));
        long now = System.nanoTime();
        // at most four times a second: an instance that cannot be sampled (QMP not up yet) must not make every call
        // sample
        if (missing && now - lastOnDemand > 250_000_000L) {
            lastOnDemand = now;
            sampleOnce();
        }
    }

    private volatile long lastOnDemand = System.nanoTime() - 1_000_000_000L;

    /** Takes one sample of everything now (the loop calls it; tests may too). */
    synchronized void sampleOnce() {
        var out = new ArrayList<InstanceStats>();
        var live = new HashMap<String, Boolean>();
        long committed = 0;
        long used = 0;
        for (Instance i : instances.list()) {
            if (!(i.state() instanceof InstanceState.Running) && !(i.state() instanceof InstanceState.Paused)) {
                continue;
            }
            var s = collector.collect(i);
            if (s.isEmpty()) {
                continue;
            }
            live.put(i.id(), true);
            InstanceStats now = withCpuPercent(s.get(), previous.get(i.id()));
            applyTarget(i, now);
            InstanceStats before = previous.put(i.id(), now);
            step(now, before);
            out.add(now);
            var m = now.memory();
            committed += m.target() > 0 && m.target() < m.assigned() ? m.target() : Math.max(0, m.assigned());
            used += Math.max(0, m.cgroupUsage());
        }
        previous.keySet().retainAll(live.keySet());
        targetApplied.keySet().retainAll(live.keySet());
        flushFinishedSteps(live.keySet());
        long busy = probes.nodeBusyNanos();
        long at = System.nanoTime();
        int cpus = Runtime.getRuntime().availableProcessors();
        double nodeCpu =
                previousNodeBusy < 0 || busy < 0 ? 0 : 100.0 * (busy - previousNodeBusy) / (at - previousNodeAt);
        previousNodeBusy = busy;
        previousNodeAt = at;
        latest = new NodeStats(
                clock.instant(),
                cpus,
                Math.max(0, nodeCpu),
                probes.memTotal(),
                probes.memAvailable(),
                committed,
                probes.memoryPressure(),
                out.size(),
                used,
                List.copyOf(out));
        if (policy != null) {
            balance(latest);
        }
    }

    /** The automatic balloon policy: moves the balloons of VMs without a target of their own (see BalloonPolicy). */
    private void balance(NodeStats node) {
        var host = new BalloonPolicy.Host(node.memoryTotal(), node.memoryAvailable(), node.memoryPressure());
        var vmsNow = node.instances().stream()
                .filter(s -> "vm".equals(s.kind()))
                .map(s -> new BalloonPolicy.Vm(
                        s.id(),
                        s.memory().assigned(),
                        s.memory().balloon(),
                        s.memory().guestUsed(),
                        s.memory().target() > 0))
                .toList();
        for (var d : policy.decide(host, vmsNow, clock.instant().getEpochSecond())) {
            vms.qmp(d.id()).ifPresent(q -> {
                try {
                    VmCounters.setBalloonTarget(q, d.target());
                    String name = node.instances().stream()
                            .filter(s -> s.id().equals(d.id()))
                            .findFirst()
                            .map(InstanceStats::name)
                            .orElse(d.id());
                    events.publish(
                            "balloon-auto",
                            "vm",
                            name,
                            Map.of("target", d.target(), "available", host.available(), "pressure", host.pressure()));
                } catch (RuntimeException e) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "automatic balloon of " + d.id() + " failed: " + e.getMessage());
                }
            });
        }
    }

    private static InstanceStats withCpuPercent(InstanceStats now, InstanceStats before) {
        if (before == null || before.cpuNanos() < 0 || now.cpuNanos() < before.cpuNanos()) {
            return now;
        }
        long wall = Duration.between(before.at(), now.at()).toNanos();
        double pct = wall <= 0 ? 0 : 100.0 * (now.cpuNanos() - before.cpuNanos()) / wall;
        return new InstanceStats(
                now.id(),
                now.name(),
                now.kind(),
                now.at(),
                pct,
                now.cpuNanos(),
                now.vcpuNanos(),
                now.memory(),
                now.disk(),
                now.net());
    }

    /** A stored balloon target is applied once per run of the VM (after a start or a restart of the daemon). */
    private void applyTarget(Instance i, InstanceStats s) {
        if (!"vm".equals(s.kind()) || s.memory().target() <= 0 || i.runtime() == null) {
            return;
        }
        String run = String.valueOf(i.runtime().startedAt());
        if (run.equals(targetApplied.get(i.id()))) {
            return;
        }
        vms.qmp(i.id()).ifPresent(q -> {
            try {
                VmCounters.setBalloonTarget(q, s.memory().target());
                targetApplied.put(i.id(), run);
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "cannot apply the memory target of " + i.name() + ": " + e.getMessage());
            }
        });
    }

    /** Marks that a target was just set by hand for this run, so the loop does not set it again. */
    void targetSet(Instance i) {
        if (i.runtime() != null) {
            targetApplied.put(i.id(), String.valueOf(i.runtime().startedAt()));
        }
    }

    /** Accumulates the 10-second step of history an instance is in. */
    private void step(InstanceStats now, InstanceStats before) {
        long t = now.at().getEpochSecond();
        long start = t - Math.floorMod(t, 10);
        double secs =
                before == null ? 0 : Duration.between(before.at(), now.at()).toMillis() / 1000.0;
        double rd =
                rate(now.disk().readBytes(), before == null ? -1 : before.disk().readBytes(), secs);
        double wr = rate(
                now.disk().writeBytes(), before == null ? -1 : before.disk().writeBytes(), secs);
        double rx = rate(now.net().rxBytes(), before == null ? -1 : before.net().rxBytes(), secs);
        double tx = rate(now.net().txBytes(), before == null ? -1 : before.net().txBytes(), secs);
        double mem = Math.max(0, now.memory().cgroupUsage());
        var p = new History.Point(
                start,
                1,
                now.cpuPercent(),
                now.cpuPercent(),
                mem,
                mem,
                Math.max(0, now.memory().guestUsed()),
                rd,
                wr,
                rx,
                tx);
        Step s = steps.get(now.id());
        if (s != null && s.point.start() != start) {
            pending.add(new History.Entry(now.id(), s.point));
            s = null;
        }
        steps.put(now.id(), s == null ? new Step(p) : new Step(s.point.merge(p)));
    }

    private final List<History.Entry> pending = new ArrayList<>();

    private void flushFinishedSteps(java.util.Set<String> live) {
        for (var it = steps.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!live.contains(e.getKey())) {
                pending.add(new History.Entry(e.getKey(), e.getValue().point));
                it.remove();
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        var batch = new ArrayList<>(pending);
        pending.clear();
        try {
            history.record(batch);
        } catch (RuntimeException e) {
            // an instance removed between the sample and the write has no row to refer to: drop what is gone
            var ids = new java.util.HashSet<String>();
            instances.list().forEach(i -> ids.add(i.id()));
            batch.removeIf(b -> !ids.contains(b.instanceId()));
            history.record(batch);
        }
    }

    private static double rate(long now, long before, double secs) {
        return now < 0 || before < 0 || secs <= 0 || now < before ? 0 : (now - before) / secs;
    }

    private record Step(History.Point point) {}

    @Override
    public void close() {
        closed = true;
        if (loop != null) {
            loop.interrupt();
        }
    }
}
