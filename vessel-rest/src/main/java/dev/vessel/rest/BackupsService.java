package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.Storage;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.BackupRequest;
import dev.vessel.model.RestoreRequest;
import dev.vessel.model.VerifyRequest;

/** Backups: take one of a VM (running or not), list the archives in the pools, verify one, restore one as a new VM. */
public final class BackupsService implements HttpService {
    private final Storage storage;

    public BackupsService(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void routing(Router r) {
        r.post(
                "/api/v1/instances/{name}/backup",
                Need.vm(Privilege.VM_BACKUP),
                req -> Bodies.json(
                        202,
                        storage.backup(
                                req.pathParam("name"),
                                req.body().length == 0 ? null : Bodies.read(req, BackupRequest.class))));
        r.get(
                "/api/v1/backups",
                Need.kind(Privilege.POOL_AUDIT, "pools"),
                req -> Bodies.ok(storage.backups(req.queryParam("pool").orElse(null))));
        r.post(
                "/api/v1/backups/verify",
                Need.kind(Privilege.VM_BACKUP, "vms"),
                req -> Bodies.json(
                        202,
                        storage.verifyBackup(
                                Bodies.read(req, VerifyRequest.class).archive())));
        r.post(
                "/api/v1/backups/restore",
                Need.kind(Privilege.VM_ALLOCATE, "vms"),
                req -> Bodies.json(202, storage.restore(req.project(), Bodies.read(req, RestoreRequest.class))));
    }
}
