package dev.vessel.rest;

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
                req -> Bodies.ok(storage.volumes(req.queryParam("pool").orElse(null))));
        r.post(
                "/api/v1/volumes",
                req -> Bodies.json(201, storage.createVolume(Bodies.read(req, VolumeCreateRequest.class))));
        r.post(
                "/api/v1/volumes/import",
                req -> Bodies.json(202, storage.importVolume(Bodies.read(req, VolumeImportRequest.class))));
        r.get("/api/v1/volumes/{name}", req -> Bodies.ok(storage.volume(req.pathParam("name"))));
        r.post(
                "/api/v1/volumes/{name}/resize",
                req -> Bodies.ok(
                        storage.resizeVolume(req.pathParam("name"), Bodies.read(req, VolumeResizeRequest.class))));
        r.delete("/api/v1/volumes/{name}", req -> {
            storage.removeVolume(req.pathParam("name"));
            return HttpResponse.noContent();
        });
        r.post(
                "/api/v1/instances/{name}/volumes",
                req -> Bodies.ok(storage.attach(req.pathParam("name"), Bodies.read(req, AttachRequest.class))));
        r.delete("/api/v1/instances/{name}/volumes/{volume}", req -> {
            storage.detach(req.pathParam("name"), req.pathParam("volume"));
            return HttpResponse.noContent();
        });
    }
}
