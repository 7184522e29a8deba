package dev.vessel.rest;

import dev.vessel.model.BackupRequest;
import dev.vessel.model.RestoreRequest;
import dev.vessel.model.VerifyRequest;

import dev.vessel.engine.storage.Storage;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;

/** Backups: take one of a VM (running or not), list the archives in the pools, verify one, restore one as a new VM. */
public final class BackupsService implements HttpService {
    private final Storage storage;

    public BackupsService(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void routing(Router r) {
        r.post("/api/v1/instances/{name}/backup", req -> Bodies.json(202, storage.backups().create(req.pathParam("name"),
                req.body().length == 0 ? null : Bodies.read(req, BackupRequest.class))));
        r.get("/api/v1/backups", req -> Bodies.ok(storage.backupFiles().list(req.queryParam("pool").orElse(null))));
        r.post("/api/v1/backups/verify", req -> Bodies.json(202, storage.backups().verify(Bodies.read(req, VerifyRequest.class).archive())));
        r.post("/api/v1/backups/restore", req -> Bodies.json(202, storage.restores().restore(Bodies.read(req, RestoreRequest.class))));
    }
}
