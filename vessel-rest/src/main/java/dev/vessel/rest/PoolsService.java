package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
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
        r.get(
                "/api/v1/pools",
                Need.loggedIn(),
                req -> Bodies.ok(Visible.only(
                        storage.pools(), p -> Visible.object(req.caller(), Privilege.POOL_AUDIT, "pools", p.name()))));
        r.post(
                "/api/v1/pools",
                Need.kind(Privilege.POOL_ALLOCATE, "pools"),
                req -> Bodies.json(201, storage.addPool(Bodies.read(req, PoolCreateRequest.class))));
        r.get(
                "/api/v1/pools/{name}",
                Need.on(Privilege.POOL_AUDIT, "pools"),
                req -> Bodies.ok(storage.pool(req.pathParam("name"))));
        r.delete("/api/v1/pools/{name}", Need.on(Privilege.POOL_ALLOCATE, "pools"), req -> {
            storage.removePool(req.pathParam("name"));
            return HttpResponse.noContent();
        });
    }
}
