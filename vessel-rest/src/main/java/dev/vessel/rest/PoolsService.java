package dev.vessel.rest;

import dev.vessel.engine.service.Storage;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.PoolCreateRequest;

/** Storage pools: list, inspect, add a directory pool, forget an empty one. */
public final class PoolsService implements HttpService {
    private final Storage storage;

    public PoolsService(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/pools", req -> Bodies.ok(storage.pools()));
        r.post("/api/v1/pools", req -> Bodies.json(201, storage.addPool(Bodies.read(req, PoolCreateRequest.class))));
        r.get("/api/v1/pools/{name}", req -> Bodies.ok(storage.pool(req.pathParam("name"))));
        r.delete("/api/v1/pools/{name}", req -> {
            storage.removePool(req.pathParam("name"));
            return HttpResponse.noContent();
        });
    }
}
