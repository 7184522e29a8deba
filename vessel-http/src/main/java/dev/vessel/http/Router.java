package dev.vessel.http;

import dev.vessel.access.Caller;
import dev.vessel.access.Need;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Routes requests to handlers. Each API resource contributes its routes through {@link HttpService}. */
public final class Router {
    private final List<Route> routes = new ArrayList<>();
    private dev.vessel.access.ProjectScope projects = dev.vessel.access.ProjectScope.OWN;
    private java.util.regex.Pattern versionSegment;
    private ErrorRenderer errors = Problems::of;

    /** How a face writes an error: problem+json for ours, {@code {"message": ...}} for Docker's. */
    @FunctionalInterface
    public interface ErrorRenderer {
        HttpResponse.Full render(VesselException e, String path);
    }

    /** The path parameter that holds the API version a request named in its first segment (see {@link #versioned}). */
    public static final String API_VERSION = "apiVersion";

    /**
     * Accepts every route with and without a first segment that matches {@code segment} (Docker's {@code /v1.44}):
     * the routes see the path without it, and the version as path parameter {@link #API_VERSION}.
     */
    public Router versioned(java.util.regex.Pattern segment) {
        this.versionSegment = segment;
        return this;
    }

    public Router errors(ErrorRenderer renderer) {
        this.errors = renderer;
        return this;
    }

    /** The answer to a failed request, in this router's face's format. */
    public HttpResponse.Full error(VesselException e, String path) {
        return errors.render(e, path);
    }

    private String version(List<String> segs) {
        if (versionSegment != null
                && !segs.isEmpty()
                && versionSegment.matcher(segs.getFirst()).matches()) {
            return segs.removeFirst();
        }
        return null;
    }

    /**
     * Refuses a request for a project that does not exist (called with every project other than default, once the
     * caller is admitted); every kind lives in its own project.
     */
    public Router projects(java.util.function.Consumer<String> check) {
        return projects(dev.vessel.access.ProjectScope.own(check));
    }

    /**
     * What the router asks of projects: whether the request's project exists (once the caller is admitted), and
     * which project holds what a path parameter names, whose key the handler then gets.
     */
    public Router projects(dev.vessel.access.ProjectScope scope) {
        this.projects = scope;
        return this;
    }

    public Router register(HttpService service) {
        service.routing(this);
        return this;
    }

    public Router get(String template, Need need, Handler h) {
        return add("GET", template, need, h);
    }

    public Router post(String template, Need need, Handler h) {
        return add("POST", template, need, h);
    }

    public Router put(String template, Need need, Handler h) {
        return add("PUT", template, need, h);
    }

    public Router delete(String template, Need need, Handler h) {
        return add("DELETE", template, need, h);
    }

    public Router add(String method, String template, Need need, Handler h) {
        routes.add(Route.of(method, template, need, h));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The template of the route a request goes to (for metrics: one series per route, not per path), or null. */
    public String template(String method, String path) {
        var segs = new ArrayList<String>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segs.add(s);
            }
        }
        version(segs);
        for (Route r : routes) {
            if ((r.method().equals(method)
                            || (method.equals("HEAD") && r.method().equals("GET")))
                    && r.match(segs) != null) {
                return r.template();
            }
        }
        return null;
    }

    public HttpResponse dispatch(HttpRequest request) throws Exception {
        return dispatch(request, (need, matched) -> matched);
    }

    /** Decides, once a route matched, whether the caller may call it; returns the request to hand to the route. */
    @FunctionalInterface
    public interface Gate {
        HttpRequest admit(Need need, HttpRequest matched) throws Exception;
    }

    /** Routes the request; {@code gate} sees the route's {@link Need} and the request with its path parameters. */
    public HttpResponse dispatch(HttpRequest request, Gate gate) throws Exception {
        var segs = new ArrayList<String>();
        // Split before decoding: an encoded slash (%2F) stays inside its segment and cannot change the route.
        for (String s : request.rawPath().split("/")) {
            if (!s.isEmpty()) {
                segs.add(HttpRequest.decode(s));
            }
        }
        String apiVersion = version(segs);
        var allowed = new TreeSet<String>();
        for (Route r : routes) {
            Map<String, String> params = r.match(segs);
            if (params == null) {
                continue;
            }
            if (apiVersion != null) {
                var versioned = new java.util.HashMap<>(params);
                versioned.put(API_VERSION, apiVersion);
                params = versioned;
            }
            if (r.method().equals(request.method())
                    || (request.method().equals("HEAD") && r.method().equals("GET"))) {
                // A path parameter that names something of a project is read in the project that holds its kind for
                // the request's: the handler, the gate's ACL path and the engine all get its key.
                String pp = r.need().projectParam();
                if (pp != null && params.get(pp) != null) {
                    var keyed = new java.util.HashMap<>(params);
                    String holder = projects.holder(r.need().projectKind(), request.project());
                    keyed.put(pp, dev.vessel.core.model.ProjectKey.of(holder, params.get(pp)));
                    params = keyed;
                }
                HttpRequest admitted = gate.admit(r.need(), request.withPathParams(params));
                String project = admitted.project();
                if (!project.equals(dev.vessel.core.model.ProjectKey.DEFAULT_PROJECT)) {
                    projects.requireExists(project);
                }
                return ScopedValue.where(Caller.CURRENT, admitted.caller())
                        .call(() -> r.handler().handle(admitted));
            }
            allowed.add(r.method());
        }
        if (!allowed.isEmpty()) {
            throw new VesselException(
                    ProblemType.METHOD_NOT_ALLOWED,
                    request.method() + " is not allowed on " + request.path() + "; allowed: "
                            + String.join(", ", allowed),
                    Map.of("allow", String.join(", ", allowed)),
                    null);
        }
        throw new VesselException(ProblemType.NOT_FOUND, "no route for " + request.method() + " " + request.path());
    }
}
