package dev.vessel.daemon.api;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.daemon.engine.Drivers;
import dev.vessel.daemon.engine.InstanceOps;
import dev.vessel.daemon.engine.VmCreator;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.time.Duration;
import java.util.Locale;

/** Instances of both kinds: list, inspect, lifecycle and removal; VM creation. */
public final class InstancesService implements HttpService {
    private final InstanceStore store;
    private final InstanceOps ops;
    private final Drivers drivers;
    private final VmCreator vms;
    private final java.util.function.Function<Instance, java.util.List<dev.vessel.daemon.net.NicView>> nics;

    public InstancesService(InstanceStore store, InstanceOps ops, Drivers drivers, VmCreator vms) {
        this(store, ops, drivers, vms, i -> java.util.List.of());
    }

    /** @param nics an instance's NICs and their addresses, for inspect and ps */
    public InstancesService(InstanceStore store, InstanceOps ops, Drivers drivers, VmCreator vms,
            java.util.function.Function<Instance, java.util.List<dev.vessel.daemon.net.NicView>> nics) {
        this.nics = nics;
        this.store = store;
        this.ops = ops;
        this.drivers = drivers;
        this.vms = vms;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/instances", req -> Bodies.ok(list(req, null)));
        r.get("/api/v1/vms", req -> Bodies.ok(list(req, InstanceKind.VM)));
        r.post("/api/v1/vms", req -> Bodies.json(201, view(ops.created(vms.create(Bodies.read(req, VmCreateRequest.class))))));
        r.get("/api/v1/instances/{name}", req -> Bodies.ok(view(ops.get(req.pathParam("name")))));
        r.post("/api/v1/instances/{name}/start", req -> Bodies.json(202, ops.start(
                req.pathParam("name"), req.queryFlag("wait"), Duration.ofSeconds(req.queryInt("timeout", 300, 1, 3600)))));
        r.post("/api/v1/instances/{name}/stop", req -> Bodies.json(202, ops.stop(req.pathParam("name"), timeout(req))));
        r.post("/api/v1/instances/{name}/kill", req -> Bodies.json(202, ops.kill(req.pathParam("name"))));
        r.post("/api/v1/instances/{name}/restart", req -> Bodies.json(202, ops.restart(req.pathParam("name"), timeout(req),
                req.queryFlag("wait"), Duration.ofSeconds(req.queryInt("readyTimeout", 300, 1, 3600)))));
        r.delete("/api/v1/instances/{name}", req -> {
            ops.remove(req.pathParam("name"), req.queryFlag("force"));
            return HttpResponse.noContent();
        });
    }

    private static Integer timeout(HttpRequest req) {
        return req.queryParam("timeout").isPresent() ? req.queryInt("timeout", 60, 0, 3600) : null;
    }

    private java.util.List<InstanceView> list(HttpRequest req, InstanceKind only) {
        InstanceKind kind = only != null ? only : req.queryParam("kind").map(InstancesService::kind).orElse(null);
        return store.list().stream().filter(i -> kind == null || i.kind() == kind).map(this::view).toList();
    }

    private static InstanceKind kind(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "vm" -> InstanceKind.VM;
            case "container" -> InstanceKind.CONTAINER;
            default -> throw VesselException.invalid("kind", "'" + s + "' is not vm or container");
        };
    }

    InstanceView view(Instance i) {
        var usage = i.state().active() ? drivers.of(i.kind()).usage(i).orElse(null) : null;
        return InstanceView.of(i, usage, nics.apply(i));
    }
}
