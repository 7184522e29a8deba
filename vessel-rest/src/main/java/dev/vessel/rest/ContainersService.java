package dev.vessel.rest;

import dev.vessel.engine.service.Containers;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.ContainerCreateRequest;

/** Containers: create and list (the lifecycle, inspect and logs are the instance routes both kinds share). */
public final class ContainersService implements HttpService {
    private final Containers containers;

    public ContainersService(Containers containers) {
        this.containers = containers;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/containers", req -> Bodies.ok(containers.list()));
        r.post(
                "/api/v1/containers",
                req -> Bodies.json(201, containers.create(Bodies.read(req, ContainerCreateRequest.class))));
    }
}
