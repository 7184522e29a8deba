package dev.vessel.engine.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.core.task.Task;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.image.GcResult;
import dev.vessel.image.ImageInfo;
import dev.vessel.image.OciImageStore;
import dev.vessel.image.RemoveResult;
import dev.vessel.image.oci.ImageReference;
import dev.vessel.model.OciImageView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OCI images in the daemon: the vessel-image store under {@code <data-dir>/oci}, pulls, loads and imports as tasks with
 * per-layer progress, and removal that containers can veto (a container's image is pinned by id). Names live in the
 * store's namespace of the request's image project (the project itself with {@code features.images}, else the default
 * one); the content is shared.
 */
public final class OciImageOps implements dev.vessel.engine.service.OciImages {
    private final OciImageStore store;
    private final InstanceStore instances;
    private final TaskRunner tasks;
    private final EventBus events;
    private final Map<String, PullProgress> progress = new ConcurrentHashMap<>();

    private final RegistryLogins logins;
    private final dev.vessel.engine.project.ProjectScopes scopes;

    public OciImageOps(
            OciImageStore store,
            InstanceStore instances,
            TaskRunner tasks,
            EventBus events,
            RegistryLogins logins,
            dev.vessel.engine.project.ProjectScopes scopes) {
        this.logins = logins;
        this.scopes = scopes;
        this.store = store;
        this.instances = instances;
        this.tasks = tasks;
        this.events = events;
    }

    public OciImageStore store() {
        return store;
    }

    /** How the API shows an image of the store, as namespace {@code project} holds it. */
    static OciImageView view(ImageInfo i, List<String> users, String project) {
        dev.vessel.image.oci.ImageConfig c = i.image().config();
        return new OciImageView(
                i.id().toString(),
                "oci",
                i.references(),
                i.image().manifestDigest().toString(),
                i.image().manifestMediaType(),
                i.image().size(),
                i.image().layers().size(),
                c.created(),
                i.image().storedAt(),
                c.os(),
                c.architecture(),
                new OciImageView.Config(
                        c.entrypoint(),
                        c.cmd(),
                        c.env(),
                        c.workingDir(),
                        c.user(),
                        c.stopSignal(),
                        c.exposedPorts(),
                        c.labels(),
                        c.volumes()),
                users,
                project);
    }

    @Override
    public List<dev.vessel.model.RegistryLoginView> logins() {
        return logins.list().stream()
                .map(v -> new dev.vessel.model.RegistryLoginView(v.registry(), v.username()))
                .toList();
    }

    @Override
    public dev.vessel.model.RegistryLoginView login(String registry, String username, String password) {
        var v = logins.login(registry, username, password, store.registryOptions());
        return new dev.vessel.model.RegistryLoginView(v.registry(), v.username());
    }

    @Override
    public void logout(String registry) {
        logins.logout(registry);
    }

    @Override
    public List<OciImageView> list(String project) {
        var namespaces = project == null ? store.namespaces() : java.util.Set.of(scopes.images(project));
        var out = new ArrayList<OciImageView>();
        for (String ns : namespaces) {
            store.list(ns).forEach(i -> out.add(view(i, usersOf(ns, i.id().toString()), ns)));
        }
        return out;
    }

    /** The names of {@code project}'s own images (an unnamed one by its short id), for the projects' holdings. */
    public List<String> namesOf(String project) {
        if (!store.namespaces().contains(project)) {
            return List.of();
        }
        var out = new ArrayList<String>();
        store.list(project).forEach(i -> {
            if (i.references().isEmpty()) {
                out.add(i.id().hex().substring(0, 12));
            }
            out.addAll(i.references());
        });
        return out;
    }

    /** The image {@code ref} (a reference or an id) means in {@code project}: a container is made from it. */
    public ImageInfo resolve(String project, String ref) {
        return store.inspect(scopes.images(project), ref);
    }

    @Override
    public OciImageView inspect(String project, String ref) {
        String ns = scopes.images(project);
        ImageInfo i = store.inspect(ns, requireRef(ref));
        return view(i, usersOf(ns, i.id().toString()), ns);
    }

    /** {@code image tag}: another name for an image (a reference or an id). */
    @Override
    public OciImageView tag(String project, String source, String target) {
        String ns = scopes.images(project);
        ImageInfo i = store.tag(ns, requireRef(source), requireRef(target));
        events.publish("image-tagged", null, target, Map.of("id", i.id().toString(), "source", source, "project", ns));
        return view(i, usersOf(ns, i.id().toString()), ns);
    }

    /** {@code image untag}: a name less; the image stays, without a name if that was its last (containers keep it by id). */
    @Override
    public OciImageView untag(String project, String ref) {
        String ns = scopes.images(project);
        ImageInfo i = store.untag(ns, requireRef(ref));
        events.publish("image-untagged", null, ref, Map.of("id", i.id().toString(), "project", ns));
        return view(i, usersOf(ns, i.id().toString()), ns);
    }

    /**
     * Untags {@code ref}; the project lets go of the image with its last reference there, unless a container of the
     * project still uses it, and the image goes once no project holds it.
     */
    @Override
    public dev.vessel.model.ImageRemoval remove(String project, String ref) {
        String ns = scopes.images(project);
        ImageInfo i = store.inspect(ns, requireRef(ref));
        List<String> users = usersOf(ns, i.id().toString());
        boolean last = i.references().size() <= 1 || !i.references().contains(localRef(ref));
        if (last && !users.isEmpty()) {
            throw VesselException.inUse("image '" + ref + "' is used by container" + (users.size() == 1 ? " " : "s ")
                    + String.join(", ", users) + "; remove them first");
        }
        RemoveResult r = store.remove(ns, ref);
        events.publish(
                "image-removed",
                null,
                ref,
                Map.of(
                        "untagged",
                        r.untagged(),
                        "deleted",
                        r.deleted() == null ? "" : r.deleted().toString(),
                        "project",
                        ns));
        return new dev.vessel.model.ImageRemoval(
                r.untagged(), r.deleted() == null ? null : r.deleted().toString());
    }

    @Override
    public dev.vessel.model.PruneResult prune() {
        GcResult r = store.gc();
        events.publish(
                "image-pruned",
                null,
                null,
                Map.of(
                        "blobsRemoved",
                        r.blobsRemoved(),
                        "layersRemoved",
                        r.layersRemoved(),
                        "bytesFreed",
                        r.bytesFreed()));
        return new dev.vessel.model.PruneResult(r.blobsRemoved(), r.layersRemoved(), r.bytesFreed());
    }

    /** The options pulls start from (insecure registries, timeouts), for checking a login's credentials. */
    public dev.vessel.image.registry.RegistryOptions registryOptions() {
        return store.registryOptions();
    }

    @Override
    public Task pull(String project, String ref) {
        String reference = ImageReference.parse(requireRef(ref)).toString();
        String ns = scopes.images(project);
        return track("image-pull", ref, project, p -> {
            // the credentials of every `vessel login`, as they are now
            ImageInfo i = store.pull(
                    ns, ref, p, new dev.vessel.image.registry.RegistryClient(logins.apply(store.registryOptions())));
            events.publish(
                    "image-pulled", null, ref, Map.of("id", i.id().toString(), "from", reference, "project", ns));
            return List.of(i);
        });
    }

    /** @param name the name of an image the archive leaves unnamed, or null */
    @Override
    public Task load(String project, String path, String name) {
        String ns = scopes.images(project);
        Path archive = existing("path", path);
        if (name != null) {
            var parsed = ImageReference.parse(requireRef(name));
            if (parsed.digest() != null) {
                throw VesselException.invalid("name", "'" + name + "' is a digest; a name is name or name:tag");
            }
        }
        return track("image-load", archive.getFileName().toString(), project, p -> {
            List<ImageInfo> loaded = store.load(ns, archive, p, name);
            for (ImageInfo i : loaded) {
                events.publish(
                        "image-loaded",
                        null,
                        String.join(",", i.references()),
                        Map.of("id", i.id().toString(), "project", ns));
            }
            return loaded;
        });
    }

    @Override
    public Task importRootfs(String project, String path, String ref) {
        String ns = scopes.images(project);
        Path file = existing("path", path);
        if (!Files.isRegularFile(file)) {
            throw VesselException.invalid(
                    "path", "'" + path + "' is not a file (a rootfs tarball: tar, tar.gz or tar.zst)");
        }
        var parsed = ImageReference.parse(requireRef(ref));
        if (parsed.tag() == null) {
            throw VesselException.invalid("reference", "an import is named name:tag, not by digest");
        }
        return track("image-import", ref, project, p -> {
            ImageInfo i = store.importRootfs(ns, file, ref, p);
            events.publish("image-imported", null, ref, Map.of("id", i.id().toString(), "project", ns));
            return List.of(i);
        });
    }

    /** The layers of a running (or just finished) pull or load. */
    public Optional<Map<String, Object>> progress(String taskId) {
        var p = progress.get(taskId);
        if (p == null) {
            tasks.get(taskId);
            return Optional.empty();
        }
        return Optional.of(Map.of("task", taskId, "done", p.finished(), "layers", p.layers()));
    }

    @FunctionalInterface
    private interface Work {
        List<ImageInfo> run(PullProgress progress);
    }

    private Task track(String operation, String target, String project, Work work) {
        var id = new java.util.concurrent.CompletableFuture<String>();
        Task t = tasks.submit(operation, target, project == null ? "default" : project, ctx -> {
            String taskId = id.join(); // submit hands out the id just after it started this thread
            var p = new PullProgress(
                    ctx,
                    (phase, l) -> events.publish(
                            "image-layer",
                            null,
                            target,
                            Map.of("task", taskId, "layer", l.id(), "phase", phase, "bytes", l.bytesTotal())));
            progress.put(taskId, p);
            try {
                var out = new ArrayList<String>();
                for (ImageInfo i : work.run(p)) {
                    out.add(i.id().toString().substring(7, 19) + " " + String.join(", ", i.references()));
                }
                ctx.report(1, String.join("; ", out));
            } finally {
                p.finish();
                // Kept a little after the end, so a client polling for the last state still finds it.
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    progress.remove(taskId);
                });
            }
        });
        id.complete(t.id());
        return t;
    }

    /** The containers whose image is {@code id} and whose project takes its images from namespace {@code ns}. */
    List<String> usersOf(String ns, String id) {
        return instances.list().stream()
                .filter(i -> i.spec() instanceof ContainerSpec c && id.equals(c.imageId()))
                .filter(i -> scopes.images(i.project()).equals(ns))
                .map(i -> i.name())
                .toList();
    }

    private static String requireRef(String ref) {
        if (ref == null || ref.isBlank()) {
            throw VesselException.invalid("reference", "an image reference is required");
        }
        if (ref.length() > 512 || ref.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw VesselException.invalid(
                    "reference", "'" + ref.replaceAll("[^\\x21-\\x7e]", "?") + "' is not an image reference");
        }
        return ref;
    }

    private static String localRef(String ref) {
        try {
            return ImageReference.parse(ref).localRef();
        } catch (VesselException e) {
            return ref;
        }
    }

    private static Path existing(String field, String path) {
        if (path == null || path.isEmpty() || path.indexOf('\0') >= 0) {
            throw VesselException.invalid(field, "a path on the daemon's host is required");
        }
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            throw VesselException.invalid(field, "'" + path + "' must be an absolute path");
        }
        if (!Files.exists(p)) {
            throw VesselException.invalid(field, "'" + path + "' does not exist");
        }
        if (!Files.isReadable(p)) {
            throw VesselException.invalid(field, "'" + path + "' is not readable");
        }
        return p;
    }
}
