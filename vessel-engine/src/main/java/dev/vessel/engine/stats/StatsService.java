package dev.vessel.engine.stats;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.service.Stats;
import dev.vessel.model.HistorySeries;
import dev.vessel.model.InstanceStats;
import dev.vessel.model.NodeStats;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** {@link Stats}: the sampler's latest figures from memory, and the history rings in the store. */
public final class StatsService implements Stats {
    private final InstanceOps ops;
    private final StatsSource source;
    private final History history;
    private final Clock clock;

    public StatsService(InstanceOps ops, StatsSource source, History history, Clock clock) {
        this.ops = ops;
        this.source = source;
        this.history = history;
        this.clock = clock;
    }

    @Override
    public Duration period() {
        return StatsSampler.PERIOD;
    }

    @Override
    public NodeStats node() {
        return source.node();
    }

    @Override
    public Optional<InstanceStats> latest(String name) {
        return source.latest(name);
    }

    @Override
    public InstanceStats instance(String name) {
        Instance i = ops.get(name);
        boolean running = i.state() instanceof InstanceState.Running || i.state() instanceof InstanceState.Paused;
        return source.latest(i.name())
                .filter(s -> running)
                .orElseThrow(() -> VesselException.state(i.kind().name().toLowerCase(Locale.ROOT)
                        + " '" + i.name() + "' is " + i.state().label()
                        + (i.state() instanceof InstanceState.Running
                                ? " but cannot be sampled yet (its QMP or cgroup is not up); try again in a moment"
                                : ": only running instances have stats")));
    }

    @Override
    public HistorySeries history(String name, String rangeName) {
        Instance i = ops.get(name);
        var range = History.Range.parse(rangeName == null ? "hour" : rangeName);
        var points = history.points(i.id(), range, clock.instant()).stream()
                .map(p -> new HistorySeries.Point(
                        p.start(),
                        p.samples(),
                        p.cpu(),
                        p.cpuMax(),
                        p.memory(),
                        p.memoryMax(),
                        p.guestUsed(),
                        p.diskRead(),
                        p.diskWrite(),
                        p.netRx(),
                        p.netTx()))
                .toList();
        return new HistorySeries(i.name(), range.name().toLowerCase(Locale.ROOT), stepOf(range), points);
    }

    private static int stepOf(History.Range r) {
        return switch (r) {
            case HOUR -> 10;
            case DAY -> 60;
            case WEEK -> 600;
            case YEAR -> 86_400;
        };
    }
}
