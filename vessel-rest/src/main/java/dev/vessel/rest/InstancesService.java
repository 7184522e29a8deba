package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.engine.service.Instances;
import dev.vessel.engine.service.Networks;
import dev.vessel.engine.service.Vms;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.InstanceView;
import dev.vessel.model.StartOptions;
import dev.vessel.model.VmCreateRequest;
import java.time.Duration;
import java.util.Locale;

/** Instances of both kinds: list, inspect, lifecycle and removal; VM creation. */
public final class InstancesService implements HttpService {
    private final Instances instances;
    private final Vms vms;
    private final Networks networks;

    public InstancesService(Instances instances, Vms vms, Networks networks) {
        this.instances = instances;
        this.vms = vms;
        this.networks = networks;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/instances", Need.loggedIn(), req -> cachedList(req, null));
        r.get("/api/v1/vms", Need.loggedIn(), req -> cachedList(req, InstanceKind.VM));
        r.post("/api/v1/vms", Need.kind(Privilege.VM_ALLOCATE, "vms"), req -> {
            var body = Bodies.read(req, VmCreateRequest.class);
            if (body.networks() == null) {
                Visible.requireNetworkUse(req.caller(), networks, req.project(), "default");
            } else {
                body.networks()
                        .forEach(n -> Visible.requireNetworkUse(
                                req.caller(), networks, req.project(), n == null ? null : n.network()));
            }
            return Bodies.json(201, vms.create(req.project(), body));
        });
        r.get(
                "/api/v1/instances/{name}",
                Need.instance(Need.Action.AUDIT),
                req -> Bodies.ok(instances.view(req.pathParam("name"))));
        // qm set: a VM's CPUs and memory (while stopped) and autostart; only the keys given change
        r.add(
                "PATCH",
                "/api/v1/instances/{name}",
                Need.instance(Need.Action.CONFIG),
                req -> Bodies.ok(vms.configure(
                        req.pathParam("name"), Bodies.read(req, dev.vessel.model.VmConfigRequest.class))));
        r.post(
                "/api/v1/instances/{name}/start",
                Need.instance(Need.Action.POWER),
                req -> Bodies.json(
                        202,
                        instances.start(
                                req.pathParam("name"),
                                new StartOptions(
                                        req.queryFlag("wait"),
                                        Duration.ofSeconds(req.queryInt("timeout", 300, 1, 3600)),
                                        waitPort(req)))));
        r.post(
                "/api/v1/instances/{name}/stop",
                Need.instance(Need.Action.POWER),
                req -> Bodies.json(202, instances.stop(req.pathParam("name"), timeout(req))));
        r.post(
                "/api/v1/instances/{name}/kill",
                Need.instance(Need.Action.POWER),
                req -> Bodies.json(202, instances.kill(req.pathParam("name"))));
        r.post(
                "/api/v1/instances/{name}/restart",
                Need.instance(Need.Action.POWER),
                req -> Bodies.json(
                        202,
                        instances.restart(
                                req.pathParam("name"),
                                timeout(req),
                                new StartOptions(
                                        req.queryFlag("wait"),
                                        Duration.ofSeconds(req.queryInt("readyTimeout", 300, 1, 3600)),
                                        waitPort(req)))));
        r.delete("/api/v1/instances/{name}", Need.instance(Need.Action.ALLOCATE), req -> {
            instances.remove(req.pathParam("name"), req.queryFlag("force"));
            return HttpResponse.noContent();
        });
    }

    private static Integer waitPort(HttpRequest req) {
        return req.queryParam("waitPort").isPresent() ? req.queryInt("waitPort", 0, 1, 65535) : null;
    }

    private static Integer timeout(HttpRequest req) {
        return req.queryParam("timeout").isPresent() ? req.queryInt("timeout", 60, 0, 3600) : null;
    }

    /**
     * The serialized list, cached: listing is what dashboards and {@code ps} poll, and with a thousand instances building
     * it (store, NICs, /proc, JSON) costs far more than sending it. A change to the store (its generation) makes the
     * next request build it again, one request at a time; otherwise a copy older than {@link #LIST_TTL_NANOS} is still
     * served while one background refresh brings the live figures in it (RSS, cgroup usage) up to date.
     */
    private HttpResponse cachedList(HttpRequest req, InstanceKind only) {
        InstanceKind kind = only != null
                ? only
                : req.queryParam("kind").map(InstancesService::kind).orElse(null);
        // One project's instances, or with ?all-projects=true every project's (each view names its project).
        String scope = req.queryFlag("all-projects") ? null : req.project();
        if (!(req.caller() instanceof dev.vessel.access.Caller.Admin)) {
            var mine = Visible.only(list(kind, scope), v -> Visible.instance(req.caller(), v.kind(), v.key()));
            return HttpResponse.json(200, dev.vessel.host.Json.bytes(mine));
        }
        long generation = instances.generation();
        if (generation < 0) {
            return HttpResponse.json(200, dev.vessel.host.Json.bytes(list(kind, scope)));
        }
        String key = (kind == null ? "all" : kind.label()) + "@" + (scope == null ? "*" : scope);
        boolean gzip =
                req.header("Accept-Encoding").map(v -> v.contains("gzip")).orElse(false);
        var c = listCache.get(key);
        if (c != null && c.generation() == generation) {
            if (System.nanoTime() - c.madeAt() >= LIST_TTL_NANOS && refreshing.add(key)) {
                Thread.ofVirtual().start(() -> {
                    try {
                        build(key, kind, scope);
                    } finally {
                        refreshing.remove(key);
                    }
                });
            }
            return c.response(gzip);
        }
        synchronized (buildLocks.computeIfAbsent(key, k -> new Object())) {
            c = listCache.get(key);
            if (c != null && c.generation() == instances.generation()) {
                return c.response(gzip);
            }
            return build(key, kind, scope).response(gzip);
        }
    }

    /** Builds the list and keeps it unless the store changed meanwhile. */
    private CachedList build(String key, InstanceKind kind, String scope) {
        long generation = instances.generation();
        long now = System.nanoTime();
        byte[] json = dev.vessel.host.Json.bytes(list(kind, scope));
        var built = new CachedList(generation, now, json, gzip(json));
        if (instances.generation() == generation) {
            listCache.put(key, built);
        }
        return built;
    }

    /** Compressed once per build: a client that accepts gzip (browsers, curl --compressed) gets a tenth of the bytes. */
    private static byte[] gzip(byte[] json) {
        var out = new java.io.ByteArrayOutputStream(json.length / 8 + 64);
        try (var z = new java.util.zip.GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        }) {
            z.write(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final long LIST_TTL_NANOS = 1_000_000_000L;

    private record CachedList(long generation, long madeAt, byte[] json, byte[] gzip) {
        HttpResponse response(boolean compressed) {
            return compressed
                    ? new HttpResponse.Full(
                            200,
                            "application/json",
                            gzip,
                            java.util.Map.of("Content-Encoding", "gzip", "Vary", "Accept-Encoding"))
                    : new HttpResponse.Full(200, "application/json", json, java.util.Map.of("Vary", "Accept-Encoding"));
        }
    }

    private final java.util.Map<String, CachedList> listCache = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> refreshing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Object> buildLocks = new java.util.concurrent.ConcurrentHashMap<>();

    /** The instances of one kind (null: both) in project {@code scope} (null: every project). */
    private java.util.List<InstanceView> list(InstanceKind kind, String scope) {
        var all = instances.list(kind);
        return scope == null ? all : Visible.only(all, v -> scope.equals(v.project()));
    }

    private static InstanceKind kind(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "vm" -> InstanceKind.VM;
            case "container" -> InstanceKind.CONTAINER;
            default -> throw VesselException.invalid("kind", "'" + s + "' is not vm or container");
        };
    }
}
