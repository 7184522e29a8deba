package dev.vessel.rest;

import dev.vessel.core.model.Instance;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.instance.Drivers;
import dev.vessel.engine.vm.ImageCatalog;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.vm.VmCreator;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.http.Router;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** The native API: one service per resource, all registered here and nowhere else. */
public final class ApiRouter {
    private ApiRouter() {}

    /** The REST face on the engine: every service, each given the engine parts it calls. */
    public static Router build(dev.vessel.engine.Engine e, Supplier<Map<String, Object>> hostInfo, dev.vessel.rest.metrics.DaemonMetrics metrics) {
        return build(new Deps(e.instances(), e.ops(), e.drivers(), e.vmCreator(), e.images(), e.tasks(), e.events(), e::consoleLog,
                e::consoleSocket, hostInfo, e.storage(), e.networks(), e.containers(), e.stats(), metrics));
    }

    /** What the services need. */
    public record Deps(
            InstanceStore instances,
            InstanceOps ops,
            Drivers drivers,
            VmCreator vmCreator,
            ImageCatalog images,
            TaskRunner tasks,
            EventBus events,
            Function<Instance, Path> consoleLog,
            Function<Instance, Path> consoleSocket,
            Supplier<Map<String, Object>> hostInfo,
            dev.vessel.engine.storage.Storage storage,
            dev.vessel.engine.net.Networks networks,
            dev.vessel.engine.container.Containers containers,
            dev.vessel.engine.stats.StatsWiring stats,
            dev.vessel.rest.metrics.DaemonMetrics metrics) {}

    public static Router build(Deps d) {
        return new Router()
                .register(new SystemService(d.hostInfo()))
                .register(new InstancesService(d.instances(), d.ops(), d.drivers(), d.vmCreator(), i -> d.networks().nics().views(i)))
                .register(new ConsoleService(d.ops(), d.consoleLog(), d.consoleSocket()))
                .register(new ImagesService(d.images()))
                .register(new TasksService(d.tasks()))
                .register(new EventsService(d.events()))
                .register(new PoolsService(d.storage()))
                .register(new VolumesService(d.storage()))
                .register(new SnapshotsService(d.storage()))
                .register(new TemplatesService(d.storage()))
                .register(new BackupsService(d.storage()))
                .register(new NetworksService(d.networks(), d.events()))
                .register(new ContainersService(d.instances(), d.drivers(), d.containers(), i -> d.networks().nics().views(i))
                        .announcing(i -> d.ops().created(i)))
                .register(new AttachService(d.ops(), d.containers(), d.events()))
                .register(new ExecService(d.ops(), d.containers()))
                .register(new OciImagesService(d.containers()))
                .register(new StatsService(d.ops(), d.stats(), java.time.Clock.systemUTC()))
                .register(new MetricsService(d.metrics()));
    }
}
