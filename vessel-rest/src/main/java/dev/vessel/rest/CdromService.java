package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.Vms;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.CdromRequest;

/** A VM's CD-ROM drives: insert and eject, running or not; a change of hardware, so VM.Config. */
public final class CdromService implements HttpService {
    private final Vms vms;

    public CdromService(Vms vms) {
        this.vms = vms;
    }

    @Override
    public void routing(Router r) {
        r.post(
                "/api/v1/instances/{name}/cdrom",
                Need.vm(Privilege.VM_CONFIG),
                req -> Bodies.ok(vms.cdrom(req.pathParam("name"), Bodies.read(req, CdromRequest.class))));
    }
}
