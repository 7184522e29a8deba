package dev.vessel.rest.metrics;

import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.engine.service.Events;
import dev.vessel.engine.service.Instances;
import dev.vessel.engine.service.Stats;
import dev.vessel.http.RequestObserver;
import dev.vessel.http.Router;
import dev.vessel.model.InstanceStats;
import dev.vessel.model.NodeStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The daemon's Prometheus metrics (Micrometer): API latency per route template, method and status; events and task
 * outcomes from the event bus; JVM and process figures; and, refreshed at each scrape from the stats sampler's memory
 * and the store, one series per instance labelled by name and kind (series of removed instances go at the next
 * scrape).
 */
public final class DaemonMetrics implements RequestObserver {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<Router> router;
    private final Instances instances;
    private final Stats stats;
    private final List<PerInstance> perInstance = new ArrayList<>();
    private final List<PerInstance> perState = new ArrayList<>();

    /** One per-instance gauge family: its rows are rebuilt from the latest samples at every scrape. */
    private record PerInstance(MultiGauge gauge, ToDoubleFunction<InstanceStats> value) {}

    public DaemonMetrics(Supplier<Router> router, Instances instances, Stats stats, Events events) {
        this.router = router;
        this.instances = instances;
        this.stats = stats;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        events.subscribe(e -> {
            Counter.builder("vessel.events")
                    .description("events published, by type")
                    .tag("type", e.type())
                    .register(registry)
                    .increment();
            if (e.type().startsWith("task-")
                    && !e.type().equals("task-progress")
                    && !e.type().equals("task-started")) {
                Object op = e.data() == null ? null : e.data().get("operation");
                Counter.builder("vessel.tasks.finished")
                        .description("tasks that ended, by operation and outcome")
                        .tags(
                                "operation",
                                String.valueOf(op),
                                "outcome",
                                e.type().substring(5))
                        .register(registry)
                        .increment();
            }
            Object id = e.data() == null ? null : e.data().get("task");
            if (id != null && e.type().equals("task-started")) {
                runningTasks.add(id.toString());
            } else if (id != null && e.type().startsWith("task-") && !e.type().equals("task-progress")) {
                runningTasks.remove(id.toString());
            }
        });
        Gauge.builder("vessel.tasks.running", runningTasks, java.util.Set::size)
                .description("tasks started and not ended")
                .register(registry);
        family("vessel.instance.cpu.seconds", "CPU time of the instance's cgroup", s -> s.cpuNanos() / 1e9);
        family("vessel.instance.vcpu.seconds", "CPU time of a VM's vCPU threads", s -> s.vcpuNanos() / 1e9);
        family(
                "vessel.instance.cpu.percent",
                "CPU use over the last sampling interval (100 = one CPU)",
                InstanceStats::cpuPercent);
        family(
                "vessel.instance.memory.assigned.bytes",
                "RAM given to the guest, or a container's limit",
                s -> s.memory().assigned());
        family(
                "vessel.instance.memory.balloon.bytes",
                "RAM the guest has now (assigned minus the balloon)",
                s -> s.memory().balloon());
        family(
                "vessel.instance.memory.guest.used.bytes",
                "memory used inside the guest (balloon statistics)",
                s -> s.memory().guestUsed());
        family(
                "vessel.instance.memory.guest.total.bytes",
                "the guest's own total memory",
                s -> s.memory().guestTotal());
        family(
                "vessel.instance.memory.rss.bytes",
                "resident memory of QEMU or of the container's processes",
                s -> s.memory().processRss());
        family(
                "vessel.instance.memory.overhead.bytes",
                "QEMU's resident memory beyond the guest RAM mapping",
                s -> s.memory().overhead());
        family(
                "vessel.instance.memory.cgroup.bytes",
                "what the instance's cgroup charges",
                s -> s.memory().cgroupUsage());
        family(
                "vessel.instance.disk.read.bytes",
                "bytes read from its disks",
                s -> s.disk().readBytes());
        family(
                "vessel.instance.disk.written.bytes",
                "bytes written to its disks",
                s -> s.disk().writeBytes());
        family(
                "vessel.instance.net.received.bytes",
                "bytes its NICs received",
                s -> s.net().rxBytes());
        family(
                "vessel.instance.net.sent.bytes",
                "bytes its NICs sent",
                s -> s.net().txBytes());
        perState.add(new PerInstance(
                MultiGauge.builder("vessel.instance.up")
                        .description("1 when the instance runs, 0 otherwise")
                        .register(registry),
                null));
        Gauge.builder("vessel.node.memory.committed.bytes", () -> stats.node().memoryCommitted())
                .description("RAM promised to running instances")
                .register(registry);
        Gauge.builder("vessel.node.memory.available.bytes", () -> stats.node().memoryAvailable())
                .register(registry);
        Gauge.builder("vessel.node.memory.pressure", () -> stats.node().memoryPressure())
                .description("PSI memory some avg10, percent")
                .register(registry);
    }

    private final java.util.Set<String> runningTasks = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private void family(String name, String help, ToDoubleFunction<InstanceStats> value) {
        perInstance.add(
                new PerInstance(MultiGauge.builder(name).description(help).register(registry), value));
    }

    @Override
    public void observe(String listener, String method, String path, int status, long nanos) {
        Router r = router.get();
        String route = r == null ? null : r.template(method, path);
        Timer.builder("vessel.api.requests")
                .description("API requests by route template, method and status")
                .tags(
                        "method",
                        method,
                        "route",
                        route == null ? "unmatched" : route,
                        "status",
                        Integer.toString(status))
                .serviceLevelObjectives(
                        Duration.ofMillis(1),
                        Duration.ofMillis(5),
                        Duration.ofMillis(25),
                        Duration.ofMillis(100),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(10))
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The text exposition format, with every per-instance series as of now. */
    public synchronized String scrape() {
        NodeStats node = stats.node();
        var up = new ArrayList<MultiGauge.Row<?>>();
        var runningIds = new java.util.HashSet<String>();
        for (Instance i : instances.stored()) {
            boolean running = i.state() instanceof InstanceState.Running || i.state() instanceof InstanceState.Paused;
            if (running) {
                runningIds.add(i.id());
            }
            up.add(MultiGauge.Row.of(
                    Tags.of("name", i.name(), "kind", i.kind().name().toLowerCase(Locale.ROOT)), running ? 1 : 0));
        }
        perState.getFirst().gauge().register(up, true);
        for (PerInstance f : perInstance) {
            var rows = new ArrayList<MultiGauge.Row<?>>();
            for (InstanceStats s : node.instances()) {
                double v = f.value().applyAsDouble(s);
                // the sample may be up to one period old: an instance stopped or removed since has no series
                if (v >= 0 && runningIds.contains(s.id())) {
                    rows.add(MultiGauge.Row.of(Tags.of("name", s.name(), "kind", s.kind()), v));
                }
            }
            f.gauge().register(rows, true);
        }
        return registry.scrape();
    }
}
