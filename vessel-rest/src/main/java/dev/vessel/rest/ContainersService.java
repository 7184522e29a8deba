package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.Containers;
import dev.vessel.engine.service.Networks;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.ContainerCreateRequest;

/** Containers: create and list (the lifecycle, inspect and logs are the instance routes both kinds share). */
public final class ContainersService implements HttpService {
    private final Containers containers;
    private final Networks networks;

    public ContainersService(Containers containers, Networks networks) {
        this.containers = containers;
        this.networks = networks;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/api/v1/containers",
                Need.loggedIn(),
                req -> Bodies.ok(Visible.only(
                        containers.list(),
                        v -> req.inOneProject(v.key()) && Visible.instance(req.caller(), v.kind(), v.key()))));
        r.post("/api/v1/containers", Need.kind(Privilege.CONTAINER_ALLOCATE, "containers"), req -> {
            var body = Bodies.read(req, ContainerCreateRequest.class);
            Visible.requireNetworkUse(
                    req.caller(), networks, req.project(), body.network() == null ? "default" : body.network());
            return Bodies.json(201, containers.create(req.project(), body));
        });
    }
}
