package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.Instances;
import dev.vessel.engine.service.Stats;
import dev.vessel.engine.service.Vms;
import dev.vessel.host.Json;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.MemoryTargetRequest;
import dev.vessel.model.NodeStats;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stats (one sample, or a stream of them as NDJSON, one line per sampling period until the client leaves), the
 * history for graphs, and a VM's balloon target.
 */
public final class StatsService implements HttpService {
    private final Instances instances;
    private final Stats stats;
    private final Vms vms;

    public StatsService(Instances instances, Stats stats, Vms vms) {
        this.instances = instances;
        this.stats = stats;
        this.vms = vms;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/stats", Need.loggedIn(), req -> {
            Set<String> names = new HashSet<>();
            req.query().getOrDefault("name", List.of()).forEach(n -> names.add(req.instanceKey(n)));
            for (String n : names) {
                instances.get(n); // 404 for an unknown name, before any stream starts
            }
            if (!req.queryFlag("stream")) {
                return Bodies.ok(filter(stats.node(), names, req.caller()));
            }
            return new HttpResponse.Streaming(200, "application/x-ndjson", out -> {
                while (true) {
                    out.write((Json.write(filter(stats.node(), names, req.caller())) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(stats.period());
                }
            });
        });
        r.get("/api/v1/instances/{name}/stats", Need.instance(Need.Action.AUDIT), req -> {
            String name = req.pathParam("name");
            var first = stats.instance(name);
            if (!req.queryFlag("stream")) {
                return Bodies.ok(first);
            }
            return new HttpResponse.Streaming(200, "application/x-ndjson", out -> {
                while (true) {
                    var s = stats.latest(name);
                    if (s.isEmpty()) {
                        return; // it stopped: the stream ends
                    }
                    out.write((Json.write(s.get()) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(stats.period());
                }
            });
        });
        r.get(
                "/api/v1/instances/{name}/history",
                Need.instance(Need.Action.AUDIT),
                req -> Bodies.ok(stats.history(
                        req.pathParam("name"), req.queryParam("range").orElse("hour"))));
        r.post(
                "/api/v1/instances/{name}/memory-target",
                Need.vm(Privilege.VM_CONFIG),
                req -> Bodies.ok(
                        vms.setMemoryTarget(req.pathParam("name"), Bodies.read(req, MemoryTargetRequest.class))));
    }

    private static NodeStats filter(NodeStats n, Set<String> names, dev.vessel.access.Caller caller) {
        if (names.isEmpty() && caller instanceof dev.vessel.access.Caller.Admin) {
            return n;
        }
        return new NodeStats(
                n.at(),
                n.cpus(),
                n.cpuPercent(),
                n.memoryTotal(),
                n.memoryAvailable(),
                n.memoryCommitted(),
                n.memoryPressure(),
                n.running(),
                n.instancesMemory(),
                n.instances().stream()
                        .filter(s -> names.isEmpty() || names.contains(s.name()))
                        .filter(s -> Visible.instance(caller, s.kind(), s.name()))
                        .toList());
    }
}
