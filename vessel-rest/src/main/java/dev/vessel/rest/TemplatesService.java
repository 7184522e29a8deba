package dev.vessel.rest;

import dev.vessel.model.CloneRequest;
import dev.vessel.model.InstanceView;

import dev.vessel.core.model.Instance;
import dev.vessel.engine.storage.Storage;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;

/** Templates and clones: a stopped VM becomes a read-only template; a clone is linked (overlay, at once) or full (a task). */
public final class TemplatesService implements HttpService {
    private final Storage storage;

    public TemplatesService(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void routing(Router r) {
        r.post("/api/v1/instances/{name}/template", req -> Bodies.ok(InstanceView.of(storage.templates().template(req.pathParam("name")), null)));
        r.post("/api/v1/instances/{name}/clone", req -> {
            Object made = storage.templates().clone(req.pathParam("name"), Bodies.read(req, CloneRequest.class));
            return made instanceof Instance i ? Bodies.json(201, InstanceView.of(i, null)) : Bodies.json(202, made);
        });
    }
}
