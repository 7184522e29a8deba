package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.core.error.VesselException;
import dev.vessel.engine.service.Containers;
import dev.vessel.engine.service.OciImages;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.ImageRequest;
import dev.vessel.model.LoginRequest;
import dev.vessel.model.LogoutRequest;
import dev.vessel.model.TagRequest;

/**
 * OCI images. Their references contain '/' and ':', so they travel as a {@code ref} query parameter or in the body,
 * not as a path segment; VM images keep {@code /api/v1/images/{name}}. References are the request's image project's
 * (its own with {@code features.images}, else the default one's).
 */
public final class OciImagesService implements HttpService {
    private final OciImages images;
    private final Containers containers;
    private final dev.vessel.engine.service.Tasks tasks;

    public OciImagesService(OciImages images, Containers containers, dev.vessel.engine.service.Tasks tasks) {
        this.tasks = tasks;
        this.images = images;
        this.containers = containers;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/api/v1/oci-images",
                Need.kind(Privilege.IMAGE_AUDIT, "images"),
                req -> Bodies.ok(
                        req.queryFlag("all-projects")
                                ? Visible.only(
                                        images.list(null),
                                        i -> Visible.kind(req.caller(), Privilege.IMAGE_AUDIT, "images", i.project()))
                                : images.list(req.project())));
        r.get(
                "/api/v1/oci-images/inspect",
                Need.kind(Privilege.IMAGE_AUDIT, "images"),
                req -> Bodies.ok(images.inspect(req.project(), ref(req))));
        r.delete(
                "/api/v1/oci-images",
                Need.kind(Privilege.IMAGE_ALLOCATE, "images"),
                req -> Bodies.ok(images.remove(req.project(), ref(req))));
        r.post(
                "/api/v1/oci-images/pull",
                Need.kind(Privilege.IMAGE_ALLOCATE, "images"),
                req -> Bodies.json(
                        202,
                        images.pull(
                                req.project(),
                                Bodies.read(req, ImageRequest.class).reference())));
        r.post("/api/v1/oci-images/load", Need.kind(Privilege.IMAGE_ALLOCATE, "images"), req -> {
            var body = Bodies.read(req, ImageRequest.class);
            return Bodies.json(202, images.load(req.project(), body.path(), body.name()));
        });
        r.post("/api/v1/oci-images/tag", Need.kind(Privilege.IMAGE_ALLOCATE, "images"), req -> {
            var body = Bodies.read(req, TagRequest.class);
            return Bodies.ok(images.tag(req.project(), body.source(), body.target()));
        });
        r.post(
                "/api/v1/oci-images/untag",
                Need.kind(Privilege.IMAGE_ALLOCATE, "images"),
                req -> Bodies.ok(images.untag(
                        req.project(), Bodies.read(req, ImageRequest.class).reference())));
        r.post("/api/v1/oci-images/import", Need.kind(Privilege.IMAGE_ALLOCATE, "images"), req -> {
            var body = Bodies.read(req, ImageRequest.class);
            return Bodies.json(202, images.importRootfs(req.project(), body.path(), body.reference()));
        });
        r.post(
                "/api/v1/oci-images/prune",
                Need.kind(Privilege.IMAGE_ALLOCATE, "images"),
                req -> Bodies.ok(images.prune()));
        r.get("/api/v1/registries", Need.node(Privilege.SYS_AUDIT), req -> Bodies.ok(images.logins()));
        r.get(
                "/api/v1/container-volumes",
                Need.kind(Privilege.POOL_AUDIT, "pools"),
                req -> Bodies.ok(containers.volumes()));
        r.get(
                "/api/v1/container-volumes/{name}",
                Need.kind(Privilege.POOL_AUDIT, "pools"),
                req -> Bodies.ok(containers.volume(req.pathParam("name"))));
        r.delete("/api/v1/container-volumes/{name}", Need.kind(Privilege.POOL_ALLOCATE, "pools"), req -> {
            containers.removeVolume(req.pathParam("name"));
            return dev.vessel.http.HttpResponse.noContent();
        });
        r.post(
                "/api/v1/container-volumes/prune",
                Need.kind(Privilege.POOL_ALLOCATE, "pools"),
                req -> Bodies.ok(java.util.Map.of("removed", containers.pruneVolumes())));
        r.post("/api/v1/registries/login", Need.node(Privilege.SYS_MODIFY), req -> {
            var l = Bodies.read(req, LoginRequest.class);
            return Bodies.ok(images.login(l.registry(), l.username(), l.password()));
        });
        r.post("/api/v1/registries/logout", Need.node(Privilege.SYS_MODIFY), req -> {
            images.logout(Bodies.read(req, LogoutRequest.class).registry());
            return dev.vessel.http.HttpResponse.noContent();
        });
        r.get("/api/v1/oci-images/progress/{task}", Need.kind(Privilege.IMAGE_AUDIT, "images"), req -> {
            // a pull's progress is its task's: the same users may see it
            Visible.requireTask(req.caller(), tasks.get(req.pathParam("task")));
            return Bodies.ok(images.progress(req.pathParam("task"))
                    .orElseThrow(() -> VesselException.notFound("pull progress", req.pathParam("task"))));
        });
    }

    private static String ref(HttpRequest req) {
        return req.queryParam("ref")
                .orElseThrow(() -> VesselException.invalid("ref", "the image reference is required (?ref=NAME:TAG)"));
    }
}
