package dev.vessel.docker;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskState;
import dev.vessel.engine.service.Tasks;
import dev.vessel.http.Handler;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.Router;
import java.time.Duration;
import java.util.Locale;

/**
 * How the Docker face registers a route. dockerd has no finer grain than "may use the socket", and what it can do
 * (bind-mount any host path, run anything) is root's: reading routes need {@code Sys.Audit} on the node, changing ones
 * {@code Sys.Modify}, the ping none. Every route is also checked for the API version a client asks for in its path.
 */
final class DockerApi {
    static final int MAX_MAJOR = 1;
    static final int MAX_MINOR = 44;
    static final int MIN_MINOR = 24;
    static final String VERSION = MAX_MAJOR + "." + MAX_MINOR;
    static final String MIN_VERSION = "1." + MIN_MINOR;

    private final Router router;

    DockerApi(Router router) {
        this.router = router;
    }

    void open(String method, String path, Handler h) {
        router.add(method, path, Need.open(), versioned(h));
    }

    void read(String method, String path, Handler h) {
        router.add(method, path, Need.node(Privilege.SYS_AUDIT), versioned(h));
    }

    void change(String method, String path, Handler h) {
        router.add(method, path, Need.node(Privilege.SYS_MODIFY), versioned(h));
    }

    private static Handler versioned(Handler h) {
        return req -> {
            String v = req.pathParams().get(Router.API_VERSION);
            if (v != null) {
                check(v.substring(1));
            }
            return h.handle(req);
        };
    }

    /** dockerd's answers to a version it does not speak. */
    static void check(String version) {
        String[] p = version.split("\\.");
        int major;
        int minor;
        try {
            major = Integer.parseInt(p[0]);
            minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        } catch (NumberFormatException e) {
            throw DockerErrors.invalid("invalid API version: " + ContainerRefs.printable(version));
        }
        if (major > MAX_MAJOR || (major == MAX_MAJOR && minor > MAX_MINOR)) {
            throw DockerErrors.invalid(
                    "client version " + version + " is too new. Maximum supported API version is " + VERSION);
        }
        if (major < MAX_MAJOR || minor < MIN_MINOR) {
            throw DockerErrors.invalid("client version " + version + " is too old. Minimum supported API version is "
                    + MIN_VERSION + ", please upgrade your client to a newer version");
        }
    }

    /** The version a request speaks: the one in its path, else the newest. */
    static int minor(HttpRequest req) {
        String v = req.pathParams().get(Router.API_VERSION);
        if (v == null) {
            return MAX_MINOR;
        }
        String[] p = v.substring(1).split("\\.");
        return p.length > 1 ? Integer.parseInt(p[1]) : 0;
    }

    /** Go's strconv.ParseBool, as dockerd reads its query flags; absent is {@code dflt}. */
    static boolean flag(HttpRequest req, String name, boolean dflt) {
        var v = req.queryParam(name);
        if (v.isEmpty()) {
            return dflt;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "1", "t", "true", "yes" -> true;
            case "", "0", "f", "false", "no" -> false;
            default ->
                throw DockerErrors.invalid("invalid value for " + name + ": " + ContainerRefs.printable(v.get()));
        };
    }

    static Integer integer(HttpRequest req, String name) {
        var v = req.queryParam(name);
        if (v.isEmpty() || v.get().isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw DockerErrors.invalid("invalid value for " + name + ": " + ContainerRefs.printable(v.get()));
        }
    }

    /** Waits for an engine task; its failure becomes the request's, with the task's words. */
    static Task finish(Tasks tasks, Task t, Duration max) throws InterruptedException {
        Task done = tasks.await(t.id(), max);
        if (done.state() == TaskState.SUCCEEDED) {
            return done;
        }
        if (done.state() == TaskState.FAILED || done.state() == TaskState.CANCELLED) {
            ProblemType type = ProblemType.INTERNAL;
            String detail = done.operation() + " failed";
            if (done.error() != null) {
                try {
                    type = ProblemType.fromUri(done.error().type());
                } catch (RuntimeException e) {
                    // an unknown type stays internal
                }
                detail = done.error().detail();
            }
            throw new VesselException(type, detail);
        }
        throw VesselException.timeout(done.operation() + " did not finish within " + max.toSeconds() + " s");
    }
}
