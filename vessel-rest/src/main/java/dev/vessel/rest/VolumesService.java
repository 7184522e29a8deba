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

/**
 * Volumes: list, inspect, create, import (file or URL), resize, remove; attach to and detach from VMs. A volume lives
 * in a project as an instance does: names in paths and bodies are read in the request's project.
 */
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
                req -> Bodies.ok(Visible.only(
                        storage.volumes(req.queryParam("pool").orElse(null)), v -> req.inOneProject(v.key()))));
        r.post(
                "/api/v1/volumes",
                Need.kind(Privilege.POOL_ALLOCATE, "pools"),
                req -> Bodies.json(
                        201, storage.createVolume(req.project(), Bodies.read(req, VolumeCreateRequest.class))));
        r.post(
                "/api/v1/volumes/import",
                Need.kind(Privilege.POOL_ALLOCATE, "pools"),
                req -> Bodies.json(
                        202, storage.importVolume(req.project(), Bodies.read(req, VolumeImportRequest.class))));
        r.get(
                "/api/v1/volumes/{name}",
                Need.kind(Privilege.POOL_AUDIT, "pools"),
                req -> Bodies.ok(storage.volume(req.instanceKey(req.pathParam("name")))));
        r.post(
                "/api/v1/volumes/{name}/resize",
                Need.kind(Privilege.POOL_ALLOCATE, "pools"),
                req -> Bodies.ok(storage.resizeVolume(
                        req.instanceKey(req.pathParam("name")), Bodies.read(req, VolumeResizeRequest.class))));
        r.delete("/api/v1/volumes/{name}", Need.kind(Privilege.POOL_ALLOCATE, "pools"), req -> {
            storage.removeVolume(req.instanceKey(req.pathParam("name")));
            return HttpResponse.noContent();
        });
        r.post("/api/v1/instances/{name}/volumes", Need.instance(Need.Action.CONFIG), req -> {
            var body = Bodies.read(req, AttachRequest.class);
            return Bodies.ok(storage.attach(
                    req.pathParam("name"),
                    body.volume() == null ? body : new AttachRequest(req.instanceKey(body.volume()), body.readOnly())));
        });
        r.delete("/api/v1/instances/{name}/volumes/{volume}", Need.instance(Need.Action.CONFIG), req -> {
            storage.detach(req.pathParam("name"), req.instanceKey(req.pathParam("volume")));
            return HttpResponse.noContent();
        });
    }
}
