package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.VmImages;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.ImageImportRequest;

/**
 * VM images: list, inspect, build the tiny guest, import a disk image, remove. Names are read in the request's image
 * project (its own with {@code features.images}, else the default one), by the engine.
 */
public final class ImagesService implements HttpService {
    private final VmImages images;

    public ImagesService(VmImages images) {
        this.images = images;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/api/v1/images",
                Need.kind(Privilege.IMAGE_AUDIT, "images"),
                req -> Bodies.ok(
                        req.queryFlag("all-projects")
                                ? Visible.only(
                                        images.list(null),
                                        i -> Visible.kind(req.caller(), Privilege.IMAGE_AUDIT, "images", i.project()))
                                : images.list(req.project())));
        r.get(
                "/api/v1/images/{name}",
                Need.kind(Privilege.IMAGE_AUDIT, "images"),
                req -> Bodies.ok(images.get(req.project(), req.pathParam("name"))));
        r.post(
                "/api/v1/images/build-tiny",
                Need.kind(Privilege.IMAGE_ALLOCATE, "images"),
                req -> Bodies.json(202, images.buildTiny(req.project(), req.queryFlag("force"))));
        r.post(
                "/api/v1/images/import",
                Need.kind(Privilege.IMAGE_ALLOCATE, "images"),
                req -> Bodies.json(202, images.importDisk(req.project(), Bodies.read(req, ImageImportRequest.class))));
        r.delete("/api/v1/images/{name}", Need.kind(Privilege.IMAGE_ALLOCATE, "images"), req -> {
            images.remove(req.project(), req.pathParam("name"));
            return HttpResponse.noContent();
        });
    }
}
