package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.Vms;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.CloneRequest;
import dev.vessel.model.CloneResult;

/** Templates and clones: a stopped VM becomes a read-only template; a clone is linked (overlay, at once) or full (a task). */
public final class TemplatesService implements HttpService {
    private final Vms vms;

    public TemplatesService(Vms vms) {
        this.vms = vms;
    }

    @Override
    public void routing(Router r) {
        r.post(
                "/api/v1/instances/{name}/template",
                Need.vm(Privilege.VM_CLONE),
                req -> Bodies.ok(vms.template(req.pathParam("name"))));
        r.post("/api/v1/instances/{name}/clone", Need.vm(Privilege.VM_CLONE), req -> switch (vms.clone(
                req.pathParam("name"), Bodies.read(req, CloneRequest.class))) {
            case CloneResult.Made m -> Bodies.json(201, m.instance());
            case CloneResult.Copying c -> Bodies.json(202, c.task());
        });
    }
}
