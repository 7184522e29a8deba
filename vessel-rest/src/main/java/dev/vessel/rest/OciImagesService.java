package dev.vessel.rest;

import dev.vessel.core.error.VesselException;
import dev.vessel.engine.container.Containers;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;

/**
 * OCI images. Their references contain '/' and ':', so they travel as a {@code ref} query parameter or in the body,
 * not as a path segment; VM images keep {@code /api/v1/images/{name}}.
 */
public final class OciImagesService implements HttpService {
    private final Containers containers;

    public OciImagesService(Containers containers) {
        this.containers = containers;
    }

    /** The body of pull, load and import. */
    /** @param name for a load: the name of an image the archive does not name (or names by a tag alone) */
    public record ImageRequest(String reference, String path, String name) {}

    /** {@code image tag SOURCE TARGET}. */
    public record TagRequest(String source, String target) {}

    /** {@code vessel login}: checked with the registry before it is kept. */
    public record LoginRequest(String registry, String username, String password) {}

    public record LogoutRequest(String registry) {}

    @Override
    public void routing(Router r) {
        r.get("/api/v1/oci-images", req -> Bodies.ok(containers.images().list()));
        r.get("/api/v1/oci-images/inspect", req -> Bodies.ok(containers.images().inspect(ref(req))));
        r.delete("/api/v1/oci-images", req -> Bodies.ok(containers.images().remove(ref(req))));
        r.post("/api/v1/oci-images/pull", req -> Bodies.json(202, containers.images().pull(Bodies.read(req, ImageRequest.class).reference())));
        r.post("/api/v1/oci-images/load", req -> {
            var body = Bodies.read(req, ImageRequest.class);
            return Bodies.json(202, containers.images().load(body.path(), body.name()));
        });
        r.post("/api/v1/oci-images/tag", req -> {
            var body = Bodies.read(req, TagRequest.class);
            return Bodies.ok(containers.images().tag(body.source(), body.target()));
        });
        r.post("/api/v1/oci-images/untag", req -> Bodies.ok(containers.images().untag(Bodies.read(req, ImageRequest.class).reference())));
        r.post("/api/v1/oci-images/import", req -> {
            var body = Bodies.read(req, ImageRequest.class);
            return Bodies.json(202, containers.images().importRootfs(body.path(), body.reference()));
        });
        r.post("/api/v1/oci-images/prune", req -> Bodies.ok(containers.images().prune()));
        r.get("/api/v1/registries", req -> Bodies.ok(containers.logins().list()));
        r.get("/api/v1/container-volumes", req -> Bodies.ok(containers.volumes().list()));
        r.get("/api/v1/container-volumes/{name}", req -> Bodies.ok(containers.volumes().inspect(req.pathParam("name"))));
        r.delete("/api/v1/container-volumes/{name}", req -> {
            containers.volumes().remove(req.pathParam("name"));
            return dev.vessel.http.HttpResponse.noContent();
        });
        r.post("/api/v1/container-volumes/prune", req -> Bodies.ok(java.util.Map.of("removed", containers.volumes().prune())));
        r.post("/api/v1/registries/login", req -> {
            var l = Bodies.read(req, LoginRequest.class);
            return Bodies.ok(containers.logins().login(l.registry(), l.username(), l.password(), containers.images().registryOptions()));
        });
        r.post("/api/v1/registries/logout", req -> {
            containers.logins().logout(Bodies.read(req, LogoutRequest.class).registry());
            return dev.vessel.http.HttpResponse.noContent();
        });
        r.get("/api/v1/oci-images/progress/{task}", req -> Bodies.ok(containers.images().progress(req.pathParam("task"))
                .orElseThrow(() -> VesselException.notFound("pull progress", req.pathParam("task")))));
    }

    private static String ref(HttpRequest req) {
        return req.queryParam("ref").orElseThrow(() -> VesselException.invalid("ref", "the image reference is required (?ref=NAME:TAG)"));
    }
}
