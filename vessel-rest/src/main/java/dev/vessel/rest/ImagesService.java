package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.VmImages;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.ImageImportRequest;

/** VM images: list, inspect, build the tiny guest, import a disk image, remove. */
public final class ImagesService implements HttpService {
    private final VmImages images;

    public ImagesService(VmImages images) {
        this.images = images;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/images", Need.kind(Privilege.IMAGE_AUDIT, "images"), req -> Bodies.ok(images.list()));
        r.get(
                "/api/v1/images/{name}",
                Need.kind(Privilege.IMAGE_AUDIT, "images"),
                req -> Bodies.ok(images.get(req.pathParam("name"))));
        r.post(
                "/api/v1/images/build-tiny",
                Need.kind(Privilege.IMAGE_ALLOCATE, "images"),
                req -> Bodies.json(202, images.buildTiny(req.queryFlag("force"))));
        r.post(
                "/api/v1/images/import",
                Need.kind(Privilege.IMAGE_ALLOCATE, "images"),
                req -> Bodies.json(202, images.importDisk(Bodies.read(req, ImageImportRequest.class))));
        r.delete("/api/v1/images/{name}", Need.kind(Privilege.IMAGE_ALLOCATE, "images"), req -> {
            images.remove(req.pathParam("name"));
            return HttpResponse.noContent();
        });
    }
}
