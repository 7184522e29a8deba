package dev.vessel.engine.container;

import dev.vessel.container.ContainerHost;
import dev.vessel.container.ContainerHostLayout;
import dev.vessel.container.ContainerIo;
import dev.vessel.container.DirectoryVolumes;
import dev.vessel.container.InitBinary;
import dev.vessel.container.ProcessWatcher;
import dev.vessel.container.RuncContainerDriver;
import dev.vessel.container.UsernsRanges;
import dev.vessel.container.WritableLayer;
import dev.vessel.core.driver.ContainerNetworking;
import dev.vessel.core.driver.DriverEvents;
import dev.vessel.core.model.Instance;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.config.DaemonConfig;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.instance.RestartCounts;
import dev.vessel.engine.instance.RestartSupervisor;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.host.ProcessRunner;
import dev.vessel.image.OciImageStore;
import dev.vessel.image.registry.RegistryOptions;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Builds the container side of the daemon in two steps, because the driver is needed before the engine exists and
 * the engine's parts (creator, images, supervisor) need the engine: {@link #start} before the instance ops,
 * {@link #engine} after, {@link #afterAdoption} once running containers were taken back.
 */
public final class ContainerWiring implements AutoCloseable {
    /** What the container side is built from. */
    public record Parts(
            DaemonConfig config,
            ProcessRunner proc,
            DriverEvents events,
            ContainerNetworking networking,
            Clock clock) {}

    private final Parts parts;
    private final OciImageStore store;
    private final WritableLayer layer;
    private final ContainerHostLayout layout;
    private final ProcessWatcher watcher;
    private final RuncContainerDriver driver;
    private final dev.vessel.oci.OciRuntime runtime;
    private final DirectoryVolumes volumes;
    private final UsernsRanges usernsRanges;
    private RestartSupervisor supervisor;
    private InstanceStore instances;
    private volatile Thread rotation;

    private ContainerWiring(Parts p) {
        this.parts = p;
        var c = p.config();
        var registry = RegistryOptions.defaults()
                .withInsecure(c.containers().insecureRegistries().toArray(String[]::new));
        store = OciImageStore.open(ociDir(c), registry);
        layer = new WritableLayer(store, p.proc(), c.dataDir());
        layout = new ContainerHostLayout(
                c.instancesDir(), c.runDir().resolve("ctr"), c.dataDir().resolve("container-volumes"));
        watcher = new ProcessWatcher();
        Path init = InitBinary.install(c.dataDir().resolve("bin"));
        volumes = new DirectoryVolumes(layout.volumesDir());
        usernsRanges = new UsernsRanges(usernsFile(c));
        var host = new ContainerHost(
                layout,
                c.runtime(),
                c.runtimeRoot(),
                store,
                layer,
                p.networking(),
                volumes,
                init,
                watcher,
                p.proc(),
                c.containers().copyRootfs(),
                usernsRanges);
        driver = new RuncContainerDriver(host, p.events(), p.clock());
        runtime = host.runtime();
    }

    /** Where OCI images live: {@code <data-dir>/oci}. */
    public static Path ociDir(DaemonConfig c) {
        return c.dataDir().resolve("oci");
    }

    /** The id ranges of containers with {@code --userns auto}: {@code <data-dir>/container-userns.json}. */
    public static Path usernsFile(DaemonConfig c) {
        return c.dataDir().resolve("container-userns.json");
    }

    public static ContainerWiring start(Parts p) {
        return new ContainerWiring(p);
    }

    public RuncContainerDriver driver() {
        return driver;
    }

    /** What storage needs to snapshot containers' writable layers. */
    public dev.vessel.engine.storage.ContainerLayers layers() {
        return new ContainerLayerAccess(driver, runtime, new dev.vessel.container.LayerCopies(parts.proc()));
    }

    /** The container's output log (what logs and attach read). */
    public Path log(Instance i) {
        return driver.paths(i).log();
    }

    public ContainerParts engine(
            InstanceStore instances,
            InstanceOps ops,
            TaskRunner tasks,
            EventBus events,
            ContainerCreator.NetworkReservation networks,
            RestartCounts restarts,
            dev.vessel.engine.project.Quotas quotas,
            dev.vessel.engine.project.ProjectService projects) {
        var logins = new RegistryLogins(parts.config().dataDir().resolve("registry-auth.json"));
        var images = new OciImageOps(store, instances, tasks, events, logins, projects.scopes());
        projects.holds("OCI image(s)", images::namesOf);
        var creator = new ContainerCreator(
                instances,
                images,
                layer,
                layout,
                usernsRanges,
                networks,
                parts.config().containers().copyRootfs(),
                parts.clock(),
                quotas);
        this.instances = instances;
        // A crash between a range's allocation and the container's insert would leave the range taken for good.
        usernsRanges.retainOnly(instances.list().stream()
                .filter(i -> i.kind() == dev.vessel.core.model.InstanceKind.CONTAINER)
                .map(Instance::id)
                .collect(java.util.stream.Collectors.toSet()));
        supervisor = new RestartSupervisor(instances, ops, tasks, events, parts.clock(), restarts);
        return new ContainerParts(
                creator,
                images,
                new ContainerIo(driver),
                driver,
                supervisor,
                logins,
                new NamedVolumes(volumes, instances, events));
    }

    /** Restart policies and {@code --rm} from now on, and for containers that ended while the daemon was down. */
    public void afterAdoption() {
        supervisor.start();
        var settings = parts.config().containers();
        if (settings.logMaxSize() > 0) {
            rotation = Thread.ofVirtual()
                    .name("container-logs")
                    .start(() -> rotateLogs(settings.logMaxSize(), settings.logMaxFiles()));
        }
    }

    /** Every few seconds, the logs of running containers past their size are rotated (see LogRotation). */
    private void rotateLogs(long maxSize, int maxFiles) {
        while (!Thread.currentThread().isInterrupted()) {
            for (Instance i : instances.list()) {
                if (i.kind() == dev.vessel.core.model.InstanceKind.CONTAINER
                        && i.state().active()) {
                    try {
                        dev.vessel.container.LogRotation.rotateIfLarger(
                                driver.paths(i).log(), maxSize, maxFiles);
                    } catch (java.io.IOException | RuntimeException e) {
                        System.getLogger(ContainerWiring.class.getName())
                                .log(
                                        System.Logger.Level.WARNING,
                                        "cannot rotate the log of " + i.name() + ": " + e.getMessage());
                    }
                }
            }
            try {
                Thread.sleep(LOG_CHECK);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static final java.time.Duration LOG_CHECK = java.time.Duration.ofSeconds(2);

    @Override
    public void close() {
        if (rotation != null) {
            rotation.interrupt();
        }
        watcher.close();
    }
}
