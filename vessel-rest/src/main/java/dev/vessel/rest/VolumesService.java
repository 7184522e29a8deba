package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.Storage;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.AttachRequest;
import dev.vessel.model.VolumeCreateRequest;
import dev.vessel.model.VolumeImportRequest;
import dev.vessel.model.VolumeResizeRequest;

/** Volumes: list, inspect, create, import (file or URL), resize, remove; attach to and detach from VMs. */
public final class VolumesService implements HttpService {
    private final Storage storage;

    public VolumesService(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/api/v1/volumes",
                Need.kind(Privilege.POOL_AUDIT, "pools"),
                req -> Bodies.ok(storage.volumes(req.queryParam("pool").orElse(null))));
        r.post(
                "/api/v1/volumes",
                Need.kind(Privilege.POOL_ALLOCATE, "pools"),
                req -> Bodies.json(201, storage.createVolume(Bodies.read(req, VolumeCreateRequest.class))));
        r.post(
                "/api/v1/volumes/import",
                Need.kind(Privilege.POOL_ALLOCATE, "pools"),
                req -> Bodies.json(202, storage.importVolume(Bodies.read(req, VolumeImportRequest.class))));
        r.get(
                "/api/v1/volumes/{name}",
                Need.kind(Privilege.POOL_AUDIT, "pools"),
                req -> Bodies.ok(storage.volume(req.pathParam("name"))));
        r.post(
                "/api/v1/volumes/{name}/resize",
                Need.kind(Privilege.POOL_ALLOCATE, "pools"),
                req -> Bodies.ok(
                        storage.resizeVolume(req.pathParam("name"), Bodies.read(req, VolumeResizeRequest.class))));
        r.delete("/api/v1/volumes/{name}", Need.kind(Privilege.POOL_ALLOCATE, "pools"), req -> {
            storage.removeVolume(req.pathParam("name"));
            return HttpResponse.noContent();
        });
        r.post(
                "/api/v1/instances/{name}/volumes",
                Need.instance(Need.Action.CONFIG),
                req -> Bodies.ok(storage.attach(req.pathParam("name"), Bodies.read(req, AttachRequest.class))));
        r.delete("/api/v1/instances/{name}/volumes/{volume}", Need.instance(Need.Action.CONFIG), req -> {
            storage.detach(req.pathParam("name"), req.pathParam("volume"));
            return HttpResponse.noContent();
        });
    }
}
