package dev.vessel.rest;

import dev.vessel.engine.service.Services;
import dev.vessel.http.Router;
import dev.vessel.rest.metrics.DaemonMetrics;

/** The native API: one HTTP service per resource, all registered here and nowhere else, each on the engine's services. */
public final class ApiRouter {
    private ApiRouter() {}

    public static Router build(Services s, DaemonMetrics metrics) {
        var tickets = new dev.vessel.access.ConsoleTickets(java.time.Clock.systemUTC());
        return new Router()
                .projects(ApiProjectScope.of(s.projects()))
                .register(new SystemService(s.host()))
                .register(new ProjectsService(s.projects()))
                .register(new InstancesService(s.instances(), s.vms(), s.networks()))
                .register(new ConsoleService(s.consoles(), tickets))
                .register(new ScreenshotService(s.consoles()))
                .register(new GuestAgentService(s.vms()))
                .register(new CdromService(s.vms()))
                .register(new ImagesService(s.vmImages()))
                .register(new TasksService(s.tasks()))
                .register(new EventsService(s.events()))
                .register(new PoolsService(s.storage()))
                .register(new VolumesService(s.storage()))
                .register(new SnapshotsService(s.storage()))
                .register(new TemplatesService(s.vms()))
                .register(new BackupsService(s.storage()))
                .register(new NetworksService(s.networks()))
                .register(new ContainersService(s.containers(), s.networks()))
                .register(new AttachService(s.containers(), tickets))
                .register(new ExecService(s.containers(), tickets))
                .register(new OciImagesService(s.ociImages(), s.containers(), s.tasks()))
                .register(new StatsService(s.instances(), s.stats(), s.vms()))
                .register(new MetricsService(metrics))
                .register(new AccessHttpService(s.access(), s.audit()));
    }
}
