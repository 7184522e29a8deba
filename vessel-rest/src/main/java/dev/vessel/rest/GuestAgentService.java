package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.Vms;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.GuestExecRequest;

/**
 * A running VM's guest agent: what it says of the guest (OS, host name, addresses, users), which anyone who may see
 * the VM may read (VM.Audit), and running a program in the guest, which is what a console gives, so it needs
 * VM.Console (Proxmox VE asks VM.Monitor, which Vessel folds into these two).
 */
public final class GuestAgentService implements HttpService {
    private final Vms vms;

    public GuestAgentService(Vms vms) {
        this.vms = vms;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/api/v1/instances/{name}/guest",
                Need.vm(Privilege.VM_AUDIT),
                req -> Bodies.ok(vms.guest(req.pathParam("name"), req.queryInt("timeout", 3, 1, 30))));
        r.post(
                "/api/v1/instances/{name}/guest/exec",
                Need.vm(Privilege.VM_CONSOLE),
                req -> Bodies.ok(vms.guestExec(req.pathParam("name"), Bodies.read(req, GuestExecRequest.class))));
    }
}
