package dev.vessel.docker;

import dev.vessel.engine.service.Services;
import dev.vessel.http.Router;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * The Docker Engine API face: the routes dockerd has (API 1.24 to 1.44, with and without {@code /vX.Y}), on the
 * engine's services, with Docker's error format. The daemon puts it on its own socket.
 */
public final class DockerFace {
    private static final Pattern VERSION = Pattern.compile("v\\d{1,3}(\\.\\d{1,3})?");

    private DockerFace() {}

    public static Router router(Services services) {
        var clock = Clock.systemUTC();
        var router = new Router().versioned(VERSION).errors(DockerErrors::render);
        var api = new DockerApi(router);
        var refs = new ContainerRefs(services.instances());
        var containers = new ContainerRoutes(services, refs, clock);
        new SystemRoutes(services).routing(api);
        containers.routing(api);
        new ExecRoutes(services, containers, new ExecSessions(clock)).routing(api);
        new ImageRoutes(services).routing(api);
        new StatsRoutes(services, refs).routing(api);
        new EventRoutes(services, clock).routing(api);
        return router;
    }
}
