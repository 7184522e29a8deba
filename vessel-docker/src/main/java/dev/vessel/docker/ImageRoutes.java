package dev.vessel.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskState;
import dev.vessel.engine.service.Services;
import dev.vessel.host.Json;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.model.OciImageView;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /images}: pull with Docker's JSON-lines progress, list, inspect, tag, remove, prune. */
final class ImageRoutes {
    private static final Duration PULL_MAX = Duration.ofHours(2);
    private static final List<String> LIST_FILTERS = List.of("label", "reference", "dangling", "before", "since");

    private final Services services;

    ImageRoutes(Services services) {
        this.services = services;
    }

    void routing(DockerApi api) {
        api.change("POST", "/images/create", this::pull);
        api.read("GET", "/images/json", this::list);
        api.change("POST", "/images/prune", req -> {
            var r = services.ociImages().prune();
            var m = new LinkedHashMap<String, Object>();
            m.put("ImagesDeleted", null);
            m.put("SpaceReclaimed", r.bytesFreed());
            return DockerJson.ok(m);
        });
        api.read("GET", "/images/{name*}/json", req -> DockerJson.ok(inspect(image(req))));
        api.change("POST", "/images/{name*}/tag", this::tag);
        api.change("DELETE", "/images/{name*}", this::remove);
    }

    private OciImageView image(HttpRequest req) {
        String name = req.pathParam("name");
        try {
            return services.ociImages().inspect(req.project(), name);
        } catch (VesselException e) {
            if (e.type() == ProblemType.NOT_FOUND || e.type() == ProblemType.INVALID_INPUT) {
                throw DockerErrors.noSuchImage(ContainerRefs.printable(name));
            }
            throw e;
        }
    }

    private HttpResponse pull(HttpRequest req) {
        String from = req.queryParam("fromImage").orElse(null);
        if (req.queryParam("fromSrc").isPresent()) {
            throw DockerErrors.invalid(
                    "importing a root file system (fromSrc) is not supported here; use vessel image import");
        }
        if (from == null || from.isEmpty()) {
            throw DockerErrors.invalid("fromImage is required");
        }
        String ref = ImageRefs.join(from, req.queryParam("tag").orElse(null));
        if (!ImageRefs.hasTagOrDigest(ref)) {
            ref = ref + ":latest"; // docker pull NAME --all-tags is not done: the latest tag, as docker pull NAME
        }
        String project = req.project();
        String shown = ImageRefs.familiar(ref);
        String had = manifestDigest(project, shown);
        Task task = services.ociImages().pull(project, ref);
        return new HttpResponse.Streaming(200, "application/json", out -> progress(task, shown, had, project, out));
    }

    /** The manifest digest the reference names here now, or null when it names nothing. */
    private String manifestDigest(String project, String ref) {
        try {
            return services.ociImages().inspect(project, ref).manifestDigest();
        } catch (VesselException e) {
            return null;
        }
    }

    /** Docker's pull progress: a line per layer and phase, byte counts while downloading, then the digest. */
    private void progress(Task task, String ref, String had, String project, OutputStream out)
            throws IOException, InterruptedException {
        String tag = ref.contains("@") ? ref.substring(ref.indexOf('@') + 1) : ref.substring(ref.lastIndexOf(':') + 1);
        line(out, Map.of("status", "Pulling from " + repository(ref), "id", tag));
        var shown = new HashMap<String, String>();
        while (true) {
            Task now = services.tasks().await(task.id(), Duration.ofMillis(250));
            layers(task.id(), shown, out);
            if (now.state() == TaskState.SUCCEEDED) {
                String digest = manifestDigest(project, ref);
                if (digest != null) {
                    line(out, Map.of("status", "Digest: " + digest));
                }
                line(
                        out,
                        Map.of(
                                "status",
                                digest != null && digest.equals(had)
                                        ? "Status: Image is up to date for " + ref
                                        : "Status: Downloaded newer image for " + ref));
                return;
            }
            if (now.state() == TaskState.FAILED || now.state() == TaskState.CANCELLED) {
                String m = now.error() == null ? "pull failed" : now.error().detail();
                line(out, Map.of("errorDetail", Map.of("message", m), "error", m));
                return;
            }
            if (now.endedAt() == null && now.createdAt().plus(PULL_MAX).isBefore(java.time.Instant.now())) {
                line(out, Map.of("errorDetail", Map.of("message", "pull timed out"), "error", "pull timed out"));
                return;
            }
        }
    }

    private void layers(String taskId, Map<String, String> shown, OutputStream out) throws IOException {
        var p = services.ociImages().progress(taskId);
        if (p.isEmpty()) {
            return;
        }
        JsonNode layers = Json.MAPPER.valueToTree(p.get()).path("layers");
        for (JsonNode l : layers) {
            String id = shortId(l.path("id").asText());
            String phase = l.path("phase").asText();
            long done = l.path("done").asLong();
            long total = l.path("total").asLong();
            String before = shown.put(id, phase);
            String status = switch (phase) {
                case "waiting" -> "Waiting";
                case "downloading" -> "Downloading";
                case "verifying" -> "Verifying Checksum";
                case "extracting" -> "Extracting";
                default -> before == null ? "Already exists" : "Pull complete";
            };
            boolean moving = phase.equals("downloading") || phase.equals("extracting");
            if (phase.equals(before) && !moving) {
                continue;
            }
            if (before == null && !phase.equals("done")) {
                line(out, Map.of("status", "Pulling fs layer", "progressDetail", Map.of(), "id", id));
            }
            if (phase.equals("extracting") && "downloading".equals(before)) {
                line(out, Map.of("status", "Download complete", "progressDetail", Map.of(), "id", id));
            }
            var m = new LinkedHashMap<String, Object>();
            m.put("status", status);
            m.put("progressDetail", moving && total > 0 ? Map.of("current", done, "total", total) : Map.of());
            m.put("id", id);
            line(out, m);
        }
    }

    private static String shortId(String id) {
        String h = id.startsWith("sha256:") ? id.substring(7) : id;
        return h.length() > 12 ? h.substring(0, 12) : h;
    }

    private static String repository(String ref) {
        String r = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref.substring(0, ref.lastIndexOf(':'));
        return r.contains("/") ? r : "library/" + r;
    }

    private static void line(OutputStream out, Map<String, ?> m) throws IOException {
        out.write(Json.bytes(m));
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    private HttpResponse list(HttpRequest req) {
        var filters = ContainerFilters.parse(req.queryParam("filters").orElse(null), LIST_FILTERS);
        var out = new ArrayList<Map<String, Object>>();
        for (OciImageView v : services.ociImages().list(req.project())) {
            var labels = v.config() == null || v.config().labels() == null
                    ? Map.<String, String>of()
                    : v.config().labels();
            boolean dangling = v.references().isEmpty();
            if (!filters.labels(labels)
                    || !filters.any("dangling", d -> Boolean.parseBoolean(d) == dangling)
                    || !filters.any("reference", r -> v.references().stream().anyMatch(ref -> matches(r, ref)))) {
                continue;
            }
            var m = new LinkedHashMap<String, Object>();
            m.put("Id", v.id());
            m.put("ParentId", "");
            m.put("RepoTags", tags(v));
            m.put("RepoDigests", digests(v));
            m.put("Created", v.createdAt() == null ? 0 : v.createdAt().getEpochSecond());
            m.put("Size", v.sizeBytes());
            m.put("SharedSize", -1);
            m.put("VirtualSize", v.sizeBytes());
            m.put("Labels", labels);
            m.put("Containers", v.usedBy() == null ? -1 : v.usedBy().size());
            out.add(m);
        }
        return DockerJson.ok(out);
    }

    /** A reference filter: {@code busybox}, {@code busybox:1.36}, or a glob over the name ({@code bus*}). */
    private static boolean matches(String filter, String ref) {
        String name = ref.contains(":") ? ref.substring(0, ref.lastIndexOf(':')) : ref;
        String glob = "\\Q" + filter.replace("*", "\\E[^/]*\\Q") + "\\E";
        return ref.matches(glob) || name.matches(glob);
    }

    private static List<String> tags(OciImageView v) {
        return v.references().stream().filter(r -> !r.contains("@")).toList();
    }

    private static List<String> digests(OciImageView v) {
        if (v.manifestDigest() == null) {
            return List.of();
        }
        var out = new ArrayList<String>();
        for (String r : v.references()) {
            String repo = r.contains("@") ? r.substring(0, r.indexOf('@')) : r.substring(0, r.lastIndexOf(':'));
            String d = repo + "@" + v.manifestDigest();
            if (!out.contains(d)) {
                out.add(d);
            }
        }
        return out;
    }

    private static Map<String, Object> inspect(OciImageView v) {
        var m = new LinkedHashMap<String, Object>();
        m.put("Id", v.id());
        m.put("RepoTags", tags(v));
        m.put("RepoDigests", digests(v));
        m.put("Parent", "");
        m.put("Comment", "");
        m.put("Created", DockerTime.rfc3339(v.createdAt()));
        m.put("DockerVersion", "");
        m.put("Author", "");
        var c = v.config();
        var cfg = new LinkedHashMap<String, Object>();
        cfg.put("Hostname", "");
        cfg.put("Domainname", "");
        cfg.put("User", c == null || c.user() == null ? "" : c.user());
        cfg.put("AttachStdin", false);
        cfg.put("AttachStdout", false);
        cfg.put("AttachStderr", false);
        var exposed = new LinkedHashMap<String, Object>();
        if (c != null && c.exposedPorts() != null) {
            c.exposedPorts().forEach(p -> exposed.put(p, Map.of()));
        }
        cfg.put("ExposedPorts", exposed.isEmpty() ? null : exposed);
        cfg.put("Tty", false);
        cfg.put("OpenStdin", false);
        cfg.put("StdinOnce", false);
        cfg.put("Env", c == null ? null : c.env());
        cfg.put("Cmd", c == null ? null : c.cmd());
        cfg.put("Image", "");
        var volumes = new LinkedHashMap<String, Object>();
        if (c != null && c.volumes() != null) {
            c.volumes().forEach(p -> volumes.put(p, Map.of()));
        }
        cfg.put("Volumes", volumes.isEmpty() ? null : volumes);
        cfg.put("WorkingDir", c == null || c.workingDir() == null ? "" : c.workingDir());
        cfg.put("Entrypoint", c == null ? null : c.entrypoint());
        cfg.put("OnBuild", null);
        cfg.put("Labels", c == null ? null : c.labels());
        if (c != null && c.stopSignal() != null) {
            cfg.put("StopSignal", c.stopSignal());
        }
        m.put("Config", cfg);
        m.put("Architecture", v.architecture());
        m.put("Os", v.os());
        m.put("Size", v.sizeBytes());
        m.put("VirtualSize", v.sizeBytes());
        m.put("GraphDriver", Map.of("Name", "overlay2", "Data", Map.of()));
        m.put("RootFS", Map.of("Type", "layers", "Layers", List.of()));
        m.put("Metadata", Map.of("LastTagTime", DockerTime.rfc3339(v.storedAt())));
        return m;
    }

    private HttpResponse tag(HttpRequest req) {
        var source = image(req);
        String repo = req.queryParam("repo").orElse(null);
        if (repo == null || repo.isEmpty()) {
            throw DockerErrors.invalid("repository name must have at least one component");
        }
        String target = ImageRefs.join(repo, req.queryParam("tag").orElse(null));
        services.ociImages()
                .tag(req.project(), source.id(), ImageRefs.hasTagOrDigest(target) ? target : target + ":latest");
        return HttpResponse.json(201, new byte[0]);
    }

    private HttpResponse remove(HttpRequest req) {
        var v = image(req);
        String name = req.pathParam("name");
        var out = new ArrayList<Map<String, String>>();
        boolean byId = v.id().equals(name)
                || v.id().equals("sha256:" + name)
                || (name.length() >= 4 && v.id().startsWith("sha256:" + name));
        if (!byId && tags(v).size() > 1) {
            services.ociImages().untag(req.project(), ImageRefs.familiar(name));
            out.add(Map.of("Untagged", ImageRefs.familiar(name)));
            return DockerJson.ok(out);
        }
        if (byId && tags(v).size() > 1 && !DockerApi.flag(req, "force", false)) {
            throw DockerErrors.conflict("conflict: unable to delete " + shortId(v.id())
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        for (String t : tags(v)) {
            out.add(Map.of("Untagged", t));
        }
        var r = services.ociImages().remove(req.project(), v.id());
        out.add(Map.of("Deleted", r.deleted() == null ? v.id() : r.deleted()));
        return DockerJson.ok(out);
    }
}
