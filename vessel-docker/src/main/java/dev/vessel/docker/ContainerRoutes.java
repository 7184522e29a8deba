package dev.vessel.docker;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.engine.service.Services;
import dev.vessel.host.Json;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.model.ExitResult;
import dev.vessel.model.StartOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /containers}: create, list, inspect, the lifecycle, wait, logs, attach and resize. */
final class ContainerRoutes {
    private static final Duration TASK_MAX = Duration.ofMinutes(10);
    private static final Duration KEEPALIVE = Duration.ofSeconds(15);
    private static final List<String> LIST_FILTERS =
            List.of("label", "name", "id", "status", "exited", "ancestor", "network", "volume", "before", "since");

    private final Services services;
    private final ContainerRefs refs;
    private final Clock clock;

    ContainerRoutes(Services services, ContainerRefs refs, Clock clock) {
        this.services = services;
        this.refs = refs;
        this.clock = clock;
    }

    void routing(DockerApi api) {
        api.change("POST", "/containers/create", this::create);
        api.read("GET", "/containers/json", this::list);
        api.read("GET", "/containers/{id}/json", req -> DockerJson.ok(views().inspect(container(req))));
        api.change("POST", "/containers/{id}/start", this::start);
        api.change("POST", "/containers/{id}/stop", this::stop);
        api.change("POST", "/containers/{id}/restart", req -> {
            Instance i = container(req);
            finish(services.instances().restart(i.name(), DockerApi.integer(req, "t"), StartOptions.NO_WAIT));
            return HttpResponse.noContent();
        });
        api.change("POST", "/containers/{id}/kill", this::kill);
        api.change("POST", "/containers/{id}/wait", this::await);
        api.change("DELETE", "/containers/{id}", this::remove);
        api.read("GET", "/containers/{id}/logs", this::logs);
        api.change("POST", "/containers/{id}/attach", this::attach);
        api.change("POST", "/containers/{id}/resize", req -> {
            Instance i = container(req);
            Integer h = DockerApi.integer(req, "h");
            Integer w = DockerApi.integer(req, "w");
            if (h == null || w == null || h < 1 || w < 1 || h > 1000 || w > 1000) {
                throw DockerErrors.invalid("resize needs h and w between 1 and 1000");
            }
            services.containers().resize(i.name(), h, w);
            return HttpResponse.json(200, new byte[0]);
        });
    }

    private ContainerViews views() {
        return new ContainerViews(services, clock);
    }

    /** The container a request's {@code {id}} means; a VM there is not one (yet: VM images come later). */
    Instance container(HttpRequest req) {
        Instance i = refs.resolve(req.project(), req.pathParam("id"));
        if (i.kind() != InstanceKind.CONTAINER) {
            throw new VesselException(
                    ProblemType.INVALID_STATE, "'" + ContainerRefs.dockerName(i) + "' is a VM: use vessel vm for it");
        }
        return i;
    }

    private void finish(dev.vessel.core.task.Task t) throws InterruptedException {
        DockerApi.finish(services.tasks(), t, TASK_MAX);
    }

    private HttpResponse create(HttpRequest req) {
        var body = DockerJson.body(req);
        String name = req.queryParam("name").orElse(null);
        var request = ContainerCreate.request(body, name, ContainerRoutes::freePort);
        if (request.name() != null) {
            for (Instance other : refs.inProject(req.project())) {
                if (other.shortName().equals(request.name())
                        || ContainerRefs.dockerName(other).equals(ContainerRefs.strip(name))) {
                    throw new VesselException(
                            ProblemType.ALREADY_EXISTS,
                            "Conflict. The container name \"/" + ContainerRefs.strip(name)
                                    + "\" is already in use by container \"" + other.id()
                                    + "\". You have to remove (or rename) that container to be able to reuse that name.");
                }
            }
        }
        try {
            services.ociImages().inspect(req.project(), request.image());
        } catch (VesselException e) {
            if (e.type() == ProblemType.NOT_FOUND) {
                throw DockerErrors.noSuchImage(ImageRefs.display(request.image()));
            }
            throw e;
        }
        var view = services.containers().create(req.project(), request);
        var answer = new LinkedHashMap<String, Object>();
        answer.put("Id", view.id());
        answer.put("Warnings", List.of());
        return DockerJson.json(201, answer);
    }

    static int freePort() {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw VesselException.host("cannot find a free port: " + e.getMessage(), e);
        }
    }

    private HttpResponse list(HttpRequest req) {
        boolean all = DockerApi.flag(req, "all", false);
        var filters = ContainerFilters.parse(req.queryParam("filters").orElse(null), LIST_FILTERS);
        Integer limit = DockerApi.integer(req, "limit");
        var views = views();
        var out = new ArrayList<Map<String, Object>>();
        var stored = new ArrayList<>(refs.inProject(req.project()));
        stored.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        for (Instance i : stored) {
            if (i.kind() != InstanceKind.CONTAINER) {
                continue;
            }
            String state = ContainerViews.state(i.state());
            boolean statusFiltered = !filters.get("status").isEmpty();
            if (!all && !statusFiltered && !state.equals("running") && !state.equals("paused")) {
                continue;
            }
            var c = (ContainerSpec) i.spec();
            if (!filters.labels(ContainerRefs.labels(i))
                    || !filters.any("status", state::equals)
                    || !filters.any("name", n -> ContainerRefs.dockerName(i).contains(ContainerRefs.strip(n)))
                    || !filters.any("id", i.id()::startsWith)
                    || !filters.any(
                            "ancestor",
                            a -> a.equals(c.image())
                                    || c.imageId().startsWith(a)
                                    || c.imageId().equals("sha256:" + a)
                                    || ImageRefs.sameReference(a, c.image()))
                    || !filters.any(
                            "exited",
                            e -> i.state() instanceof InstanceState.Stopped
                                    && e.equals(Integer.toString(ContainerViews.exitCode(i.state()))))
                    || !filters.any(
                            "network",
                            n -> ContainerViews.networkName(c.network()).equals(n))
                    || !filters.any(
                            "volume",
                            v -> c.mounts().stream()
                                    .anyMatch(m ->
                                            m.source().equals(v) || m.target().equals(v)))) {
                continue;
            }
            out.add(views.summary(i));
            if (limit != null && limit > 0 && out.size() >= limit) {
                break;
            }
        }
        return DockerJson.ok(out);
    }

    private HttpResponse start(HttpRequest req) throws InterruptedException {
        Instance i = container(req);
        if (req.queryParam("checkpoint").isPresent()) {
            throw DockerErrors.invalid("checkpoints are for VMs; a container has none");
        }
        if (i.state().active()) {
            return new HttpResponse.Full(304, null, new byte[0], Map.of());
        }
        finish(services.instances().start(i.name(), StartOptions.NO_WAIT));
        return HttpResponse.noContent();
    }

    private HttpResponse stop(HttpRequest req) throws InterruptedException {
        Instance i = container(req);
        if (!i.state().active()) {
            return new HttpResponse.Full(304, null, new byte[0], Map.of());
        }
        Integer t = DockerApi.integer(req, "t");
        if (t != null && t < 0) {
            t = ContainerSpec.MAX_STOP_TIMEOUT; // -1: wait as long as it takes; ours is capped
        }
        finish(services.instances().stop(i.name(), t));
        return HttpResponse.noContent();
    }

    private HttpResponse kill(HttpRequest req) throws InterruptedException {
        Instance i = container(req);
        String signal = req.queryParam("signal").orElse("KILL").toUpperCase(java.util.Locale.ROOT);
        if (!List.of("", "KILL", "SIGKILL", "9").contains(signal)) {
            throw DockerErrors.invalid("Vessel's kill sends SIGKILL; for " + ContainerRefs.printable(signal)
                    + " use stop, which sends the container's stop signal");
        }
        if (!i.state().active()) {
            throw DockerErrors.conflict(
                    "Cannot kill container: " + req.pathParam("id") + ": Container " + i.id() + " is not running");
        }
        finish(services.instances().kill(i.name()));
        return HttpResponse.noContent();
    }

    private HttpResponse remove(HttpRequest req) {
        Instance i = container(req);
        boolean force = DockerApi.flag(req, "force", false);
        if (i.state().active() && !force) {
            throw DockerErrors.conflict("You cannot remove a running container " + i.id()
                    + ". Stop the container before attempting removal or force remove");
        }
        services.instances().remove(i.name(), force);
        return HttpResponse.noContent();
    }

    private HttpResponse await(HttpRequest req) {
        Instance i = container(req);
        String condition = req.queryParam("condition").orElse("not-running");
        if (!List.of("not-running", "next-exit", "removed").contains(condition)) {
            throw DockerErrors.invalid("invalid condition: " + ContainerRefs.printable(condition));
        }
        if (condition.equals("not-running") && i.state() instanceof InstanceState.Created) {
            return DockerJson.ok(waitResult(0, null));
        }
        var wait = services.containers().await(i.name(), condition.equals("next-exit"), condition.equals("removed"));
        return new HttpResponse.Streaming(200, "application/json", out -> {
            try (wait) {
                out.flush(); // the headers now: docker run waits for them before it starts the container
                var end = wait.already();
                while (end.isEmpty()) {
                    end = wait.next(KEEPALIVE);
                    if (end.isEmpty()) {
                        out.write('\n'); // whitespace a JSON decoder skips; notices a client that left
                        out.flush();
                    }
                }
                ExitResult r = end.get();
                int code = r.exitCode() != null ? r.exitCode() : "killed".equals(r.reason()) ? 137 : 0;
                String error = "start-failed".equals(r.reason()) ? r.detail() : null;
                out.write(Json.bytes(waitResult(code, error)));
                out.write('\n');
            }
        });
    }

    private static Map<String, Object> waitResult(int code, String error) {
        var m = new LinkedHashMap<String, Object>();
        m.put("StatusCode", code);
        m.put("Error", error == null ? null : Map.of("Message", error));
        return m;
    }

    private HttpResponse logs(HttpRequest req) {
        Instance i = container(req);
        boolean stdout = DockerApi.flag(req, "stdout", false);
        boolean stderr = DockerApi.flag(req, "stderr", false);
        if (!stdout && !stderr) {
            throw DockerErrors.invalid("Bad parameters: you must choose at least one stream");
        }
        if (DockerApi.flag(req, "timestamps", false)) {
            throw DockerErrors.invalid(
                    "Vessel's container log does not record when each line was written: --timestamps is not supported");
        }
        for (String p : List.of("since", "until")) {
            if (req.queryParam(p).filter(v -> !v.isEmpty() && !v.equals("0")).isPresent()) {
                throw DockerErrors.invalid(
                        "Vessel's container log does not record times: --" + p + " is not supported");
            }
        }
        int tail = tail(req.queryParam("tail").orElse("all"));
        boolean follow = DockerApi.flag(req, "follow", false);
        boolean tty = ((ContainerSpec) i.spec()).tty();
        var copy = services.consoles().log(i.name(), follow, tail);
        String type = tty ? StdFrames.RAW : DockerApi.minor(req) >= 42 ? StdFrames.MULTIPLEXED : StdFrames.RAW;
        return new HttpResponse.Streaming(200, type, out -> {
            OutputStream framed = StdFrames.of(out, tty, StdFrames.STDOUT);
            out.flush();
            copy.writeTo(framed);
            framed.flush();
        });
    }

    static int tail(String v) {
        if (v.isEmpty() || v.equals("all")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(v);
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            throw DockerErrors.invalid("invalid value for tail: " + ContainerRefs.printable(v));
        }
    }

    private HttpResponse attach(HttpRequest req) {
        Instance i = container(req);
        var c = (ContainerSpec) i.spec();
        boolean stdin = DockerApi.flag(req, "stdin", false) && c.interactive();
        boolean logs = DockerApi.flag(req, "logs", false);
        if (!DockerApi.flag(req, "stream", false) && !logs) {
            throw DockerErrors.invalid("attach needs stream=1 or logs=1");
        }
        if (!req.header("Upgrade").map(u -> u.equalsIgnoreCase("tcp")).orElse(false)) {
            throw DockerErrors.invalid("attach is a hijacked stream: send 'Connection: Upgrade' and 'Upgrade: tcp'");
        }
        var session = services.containers().attach(i.name(), stdin, logs);
        String type = c.tty() ? StdFrames.RAW : DockerApi.minor(req) >= 42 ? StdFrames.MULTIPLEXED : StdFrames.RAW;
        return new HttpResponse.Upgrade(
                "tcp",
                // Docker's CLI half-closes at once when it sends no input: that is not the client leaving (a write
                // to it failing is), so without stdin the engine gets an input that ends only when the attach does.
                (in, out) -> session.run(stdin ? in : Quiet.INPUT.get(), StdFrames.of(out, c.tty(), StdFrames.STDOUT)),
                Map.of("Content-Type", type));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
