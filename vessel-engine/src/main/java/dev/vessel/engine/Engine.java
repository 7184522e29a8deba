package dev.vessel.engine;

import dev.vessel.core.driver.DriverEvents;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.Lifecycle;
import dev.vessel.core.model.NicSpec;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.config.DaemonConfig;
import dev.vessel.engine.container.ContainerParts;
import dev.vessel.engine.container.ContainerWiring;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.Adoption;
import dev.vessel.engine.instance.Drivers;
import dev.vessel.engine.instance.GuestAddresses;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.instance.ReadyWaiter;
import dev.vessel.engine.net.NetworkParts;
import dev.vessel.engine.net.NetworkWiring;
import dev.vessel.engine.service.Services;
import dev.vessel.engine.stats.StatsWiring;
import dev.vessel.engine.storage.NicReserver;
import dev.vessel.engine.storage.StorageParts;
import dev.vessel.engine.storage.StorageWiring;
import dev.vessel.engine.store.Database;
import dev.vessel.engine.store.SqliteImageStore;
import dev.vessel.engine.store.SqliteInstanceStore;
import dev.vessel.engine.store.SqliteTaskStore;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.engine.vm.ImageCatalog;
import dev.vessel.engine.vm.VmCreator;
import dev.vessel.host.ProcessRunner;
import dev.vessel.oci.Cgroups;
import dev.vessel.oci.RuncRuntime;
import dev.vessel.qemu.QemuImg;
import dev.vessel.qemu.QemuVmDriver;
import dev.vessel.qemu.VmHostLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

/**
 * The engine of one node: the store, the drivers, and everything that orchestrates them, composed from the node's
 * settings. Faces (the REST API, and those that follow) get its services and nothing else; closing it leaves every VM
 * and container running.
 */
public final class Engine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());

    private final DaemonConfig config;
    private final Database db;
    private final InstanceStore instances;
    private final Drivers drivers;
    private final InstanceOps ops;
    private final VmCreator vmCreator;
    private final ImageCatalog images;
    private final TaskRunner tasks;
    private final EventBus events;
    private final QemuVmDriver vmDriver;
    private final ContainerWiring containerWiring;
    private final ContainerParts containers;
    private final NetworkParts networks;
    private final StorageParts storage;
    private final StatsWiring stats;
    private final HostAccel accel;
    private final RuncRuntime runtime;
    private final Services services;

    private Engine(DaemonConfig config) {
        this.config = config;
        prepareDirs(config);
        Clock clock = Clock.systemUTC();
        var proc = new ProcessRunner();
        db = new Database(config.database());
        instances = new SqliteInstanceStore(db);
        var taskStore = new SqliteTaskStore(db);
        var imageStore = new SqliteImageStore(db);
        events = new EventBus(db, clock);
        tasks = new TaskRunner(taskStore, clock, events);
        tasks.failOrphans(taskStore.unfinished());

        runtime = new RuncRuntime(config.runtime(), config.runtimeRoot(), proc);
        var layout = new VmHostLayout(config.instancesDir(), config.runDir().resolve("vm"), config.imagesDir());
        accel = new HostAccel(config, proc);
        accel.decideInBackground();
        var forward = new ForwardingEvents();
        var net = new NetworkWiring(config, db, proc);
        vmDriver = new QemuVmDriver(
                layout,
                runtime,
                accel,
                forward,
                Cgroups.host(),
                clock,
                net.vmNics(),
                dev.vessel.qemu.HypervProbe.qemu(proc),
                config.tpmLogLevel());
        containerWiring =
                ContainerWiring.start(new ContainerWiring.Parts(config, proc, forward, net.containerNics(), clock));
        drivers = new Drivers(List.of(vmDriver, containerWiring.driver()));
        var projectStore = new dev.vessel.engine.project.SqliteProjectStore(db);
        var quotas = new dev.vessel.engine.project.Quotas(projectStore, instances);
        var projects = new dev.vessel.engine.project.ProjectService(projectStore, instances, quotas, events, clock);
        var ready = new ReadyWaiter(i -> vmDriver.paths(i).serialLog(), instances);
        ops = new InstanceOps(instances, drivers, new Lifecycle(clock), tasks, events, ready);
        forward.target = ops;
        networks = net.engine(instances, ops, vmDriver, projects, quotas);
        ready.addresses(i -> networks.nics().views(i).stream()
                .map(v -> new GuestAddresses.Address(
                        v.index(),
                        v.network(),
                        v.ip(),
                        v.lease() != null && "leased".equals(v.lease().state())))
                .toList());
        containers = containerWiring.engine(
                instances,
                ops,
                tasks,
                events,
                new dev.vessel.engine.net.ContainerCreates(networks, projects.scopes()),
                new dev.vessel.engine.instance.RestartCounts(db),
                quotas,
                projects);
        var qemuImg = new QemuImg(proc);
        vmCreator = new VmCreator(
                instances,
                imageStore,
                layout,
                qemuImg,
                clock,
                config.defaultStopTimeoutSeconds(),
                networks.newVms(),
                quotas,
                projects.scopes());
        images = new ImageCatalog(
                imageStore,
                instances,
                config.imagesDir(),
                qemuImg,
                new TinyImages(proc, config.cacheDir(), config.downloads()),
                tasks,
                events,
                clock,
                projects.scopes());
        projects.holds(
                "image(s)",
                p -> images.keysOf(p).stream()
                        .map(dev.vessel.core.model.ProjectKey::nameOf)
                        .toList());

        int adopted = new Adoption(instances, drivers, ops, runtime).run();
        LOG.log(System.Logger.Level.INFO, "adopted " + adopted + " running instance(s)");
        net.reconcile(instances);
        containerWiring.afterAdoption();
        var agents = new dev.vessel.engine.instance.GuestAgents(
                i -> vmDriver.paths(i).agentSocket(), vmDriver::qmp);
        storage = StorageWiring.start(new StorageWiring.Parts(
                db,
                instances,
                ops,
                vmDriver::qmp,
                layout,
                config.dataDir(),
                qemuImg,
                proc,
                tasks,
                events,
                clock,
                containerWiring.layers(),
                quotas,
                new NicReserver() {
                    @Override
                    public List<NicSpec> reserve(String id, String name, List<NicSpec> nics) {
                        return networks.newVms().reserveLike(id, name, nics);
                    }

                    @Override
                    public void release(String id) {
                        networks.newVms().release(id, new RuntimeException("release"));
                    }
                },
                agents));
        stats = StatsWiring.start(
                new StatsWiring.Parts(db, instances, ops, drivers, vmDriver, events, clock, config.autoBalloon()));

        var instanceService = new dev.vessel.engine.instance.InstanceService(
                instances, ops, drivers, i -> networks.nics().views(i));
        services = new Services(
                instanceService,
                new dev.vessel.engine.vm.VmService(
                        vmCreator,
                        ops,
                        instanceService,
                        storage.templates(),
                        stats.targets(),
                        new dev.vessel.engine.vm.VmConfigOps(ops, quotas),
                        agents,
                        new dev.vessel.engine.vm.VmMediaOps(
                                ops,
                                new dev.vessel.engine.vm.VmMedia(imageStore, projects.scopes()),
                                vmDriver::paths,
                                vmDriver::qmp)),
                new dev.vessel.engine.container.ContainerService(containers, ops, instanceService, events),
                new dev.vessel.engine.instance.InstanceConsoles(
                        ops,
                        this::consoleLog,
                        this::consoleSocket,
                        new dev.vessel.engine.instance.VmScreens(
                                vmDriver::qmp, i -> vmDriver.paths(i).vncSocket(), (int)
                                        dev.vessel.access.ConsoleTickets.LIFE.toSeconds())),
                images,
                containers.images(),
                new dev.vessel.engine.storage.StorageService(storage),
                new dev.vessel.engine.net.NetworkService(networks, events),
                tasks,
                events,
                new dev.vessel.engine.stats.StatsService(ops, stats.source(), stats.history(), clock),
                this::hostInfo,
                AccessWiring.service(config.dataDir().resolve("access"), clock),
                AccessWiring.audit(config.dataDir().resolve("access")),
                projects);
        new dev.vessel.engine.vm.VmAutostart(
                        config.dataDir().resolve("last-boot-id"), dev.vessel.engine.vm.VmAutostart.BOOT_ID)
                .run(instances.list(), key -> services.instances().start(key, dev.vessel.model.StartOptions.NO_WAIT));
    }

    /** What the faces call. */
    public Services services() {
        return services;
    }

    /** Opens the store, adopts what runs, settles half-done work, and starts the background loops. */
    public static Engine start(DaemonConfig config) {
        return new Engine(config);
    }

    public DaemonConfig config() {
        return config;
    }

    public InstanceStore instances() {
        return instances;
    }

    public Drivers drivers() {
        return drivers;
    }

    public InstanceOps ops() {
        return ops;
    }

    public VmCreator vmCreator() {
        return vmCreator;
    }

    public ImageCatalog images() {
        return images;
    }

    public TaskRunner tasks() {
        return tasks;
    }

    public EventBus events() {
        return events;
    }

    public ContainerParts containers() {
        return containers;
    }

    public NetworkParts networks() {
        return networks;
    }

    public StorageParts storage() {
        return storage;
    }

    public StatsWiring stats() {
        return stats;
    }

    /** A VM's serial console log, or a container's output. */
    public Path consoleLog(Instance i) {
        return i.kind() == InstanceKind.CONTAINER
                ? containerWiring.log(i)
                : vmDriver.paths(i).serialLog();
    }

    /** A VM's serial console socket (QEMU's chardev in its run dir). */
    public Path consoleSocket(Instance i) {
        return vmDriver.paths(i).consoleSocket();
    }

    /** The version of Vessel this engine is. */
    public static final String VERSION = dev.vessel.model.Versions.VESSEL;

    /** Facts about this node for {@code GET /host}. */
    private dev.vessel.model.HostInfo hostInfo() {
        var d = accel.lastDecision();
        return new dev.vessel.model.HostInfo(
                VERSION,
                config.dataDir().toString(),
                config.socket().toString(),
                runtime.describe(),
                d == null
                        ? null
                        : new dev.vessel.model.HostInfo.Accel(d.accel(), d.reason(), d.probedAt(), d.hostKey()),
                Runtime.getRuntime().availableProcessors(),
                db.schemaVersion());
    }

    private static void prepareDirs(DaemonConfig c) {
        try {
            for (var d : List.of(
                    c.dataDir(),
                    c.instancesDir(),
                    c.imagesDir(),
                    c.runDir(),
                    c.runtimeRoot(),
                    c.runDir().resolve("vm"))) {
                Files.createDirectories(d);
            }
            Files.setPosixFilePermissions(c.dataDir(), PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(c.runDir(), PosixFilePermissions.fromString("rwx--x--x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the daemon's directories", e);
        }
    }

    /** The engine needs the drivers and the drivers report to the engine; this breaks the cycle at wiring time. */
    private static final class ForwardingEvents implements DriverEvents {
        volatile DriverEvents target;

        @Override
        public void on(String instanceId, dev.vessel.core.model.LifecycleEvent event) {
            if (target != null) {
                target.on(instanceId, event);
            }
        }
    }

    @Override
    public void close() {
        stats.close();
        drivers.detachAll();
        containerWiring.close();
        db.close();
    }
}
