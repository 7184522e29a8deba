package dev.vessel.rest;

import dev.vessel.model.PoolCreateRequest;

import dev.vessel.core.error.VesselException;
import dev.vessel.engine.storage.Storage;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;

/** Storage pools: list, inspect, add a directory pool, forget an empty one. */
public final class PoolsService implements HttpService {
    private final Storage storage;

    public PoolsService(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/pools", req -> Bodies.ok(storage.pools().all().stream().map(p -> p.info()).toList()));
        r.post("/api/v1/pools", req -> {
            var body = Bodies.read(req, PoolCreateRequest.class);
            if (body.driver() != null && !body.driver().equals("dir")) {
                throw VesselException.invalid("driver", "'" + body.driver() + "' is not available yet; only dir pools (LVM-thin, ZFS and Ceph RBD come later)");
            }
            return Bodies.json(201, storage.pools().addDirectory(body.name(), body.path()).info());
        });
        r.get("/api/v1/pools/{name}", req -> Bodies.ok(storage.pools().get(req.pathParam("name")).info()));
        r.delete("/api/v1/pools/{name}", req -> {
            storage.pools().remove(req.pathParam("name"));
            return HttpResponse.noContent();
        });
    }
}
