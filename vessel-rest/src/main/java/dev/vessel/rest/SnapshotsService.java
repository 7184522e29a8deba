package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.Storage;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.SnapshotRequest;

/** An instance's snapshot tree: list, take (running or stopped, with or without RAM), roll back to any node, remove one. */
public final class SnapshotsService implements HttpService {
    private final Storage storage;

    public SnapshotsService(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/api/v1/instances/{name}/snapshots",
                Need.instance(Need.Action.AUDIT),
                req -> Bodies.ok(storage.snapshots(req.pathParam("name"))));
        r.post(
                "/api/v1/instances/{name}/snapshots",
                Need.vm(Privilege.VM_SNAPSHOT),
                req -> Bodies.json(
                        202,
                        storage.snapshot(
                                req.pathParam("name"),
                                req.body().length == 0 ? null : Bodies.read(req, SnapshotRequest.class))));
        r.post(
                "/api/v1/instances/{name}/snapshots/{snapshot}/rollback",
                Need.vm(Privilege.VM_SNAPSHOT),
                req -> Bodies.json(202, storage.rollback(req.pathParam("name"), req.pathParam("snapshot"))));
        r.delete(
                "/api/v1/instances/{name}/snapshots/{snapshot}",
                Need.vm(Privilege.VM_SNAPSHOT),
                req -> Bodies.json(202, storage.deleteSnapshot(req.pathParam("name"), req.pathParam("snapshot"))));
    }
}
