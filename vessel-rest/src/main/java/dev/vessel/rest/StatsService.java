package dev.vessel.rest;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.stats.History;
import dev.vessel.model.InstanceStats;
import dev.vessel.engine.stats.MemoryTargetOps;
import dev.vessel.model.NodeStats;
import dev.vessel.engine.stats.StatsSampler;
import dev.vessel.engine.stats.StatsSource;
import dev.vessel.host.Json;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stats (one sample, or a stream of them as NDJSON, one line per sampling period until the client leaves), the
 * history for graphs, and a VM's balloon target.
 */
public final class StatsService implements HttpService {
    private final InstanceOps ops;
    private final StatsSource stats;
    private final History history;
    private final MemoryTargetOps targets;
    private final Clock clock;

    /** @param wiring null only where routes are listed without a daemon (the API document's test) */
    public StatsService(InstanceOps ops, dev.vessel.engine.stats.StatsWiring wiring, Clock clock) {
        this.ops = ops;
        this.stats = wiring == null ? null : wiring.source();
        this.history = wiring == null ? null : wiring.history();
        this.targets = wiring == null ? null : wiring.targets();
        this.clock = clock;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/stats", req -> {
            Set<String> names = new HashSet<>(req.query().getOrDefault("name", List.of()));
            for (String n : names) {
                ops.get(n); // 404 for an unknown name, before any stream starts
            }
            if (!req.queryFlag("stream")) {
                return Bodies.ok(filter(stats.node(), names));
            }
            return new HttpResponse.Streaming(200, "application/x-ndjson", out -> {
                while (true) {
                    out.write((Json.write(filter(stats.node(), names)) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(StatsSampler.PERIOD);
                }
            });
        });
        r.get("/api/v1/instances/{name}/stats", req -> {
            String name = req.pathParam("name");
            Instance i = ops.get(name);
            if (!req.queryFlag("stream")) {
                return Bodies.ok(one(i));
            }
            one(i);
            return new HttpResponse.Streaming(200, "application/x-ndjson", out -> {
                while (true) {
                    var s = stats.latest(name);
                    if (s.isEmpty()) {
                        return; // it stopped: the stream ends
                    }
                    out.write((Json.write(s.get()) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(StatsSampler.PERIOD);
                }
            });
        });
        r.get("/api/v1/instances/{name}/history", req -> {
            Instance i = ops.get(req.pathParam("name"));
            var range = History.Range.parse(req.queryParam("range").orElse("hour"));
            return Bodies.ok(new History.Series(i.name(), range.name().toLowerCase(java.util.Locale.ROOT), stepOf(range),
                    history.points(i.id(), range, clock.instant())));
        });
        r.post("/api/v1/instances/{name}/memory-target", req -> Bodies.ok(targets.set(req.pathParam("name"),
                Bodies.read(req, MemoryTargetOps.Request.class))));
    }

    private static int stepOf(History.Range r) {
        return switch (r) {
            case HOUR -> 10;
            case DAY -> 60;
            case WEEK -> 600;
            case YEAR -> 86_400;
        };
    }

    private InstanceStats one(Instance i) {
        boolean running = i.state() instanceof InstanceState.Running || i.state() instanceof InstanceState.Paused;
        return stats.latest(i.name()).filter(s -> running).orElseThrow(() -> VesselException.state(i.kind().name().toLowerCase(java.util.Locale.ROOT) + " '"
                + i.name() + "' is " + i.state().label() + (i.state() instanceof InstanceState.Running
                        ? " but cannot be sampled yet (its QMP or cgroup is not up); try again in a moment" : ": only running instances have stats")));
    }

    private static NodeStats filter(NodeStats n, Set<String> names) {
        if (names.isEmpty()) {
            return n;
        }
        return new NodeStats(n.at(), n.cpus(), n.cpuPercent(), n.memoryTotal(), n.memoryAvailable(), n.memoryCommitted(), n.memoryPressure(),
                n.running(), n.instancesMemory(), n.instances().stream().filter(s -> names.contains(s.name())).toList());
    }
}
