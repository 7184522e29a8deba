package dev.vessel.daemon;

import dev.vessel.core.driver.DriverEvents;
import dev.vessel.core.model.Lifecycle;
import dev.vessel.daemon.api.ApiRouter;
import dev.vessel.daemon.api.SystemService;
import dev.vessel.daemon.config.DaemonConfig;
import dev.vessel.daemon.engine.Adoption;
import dev.vessel.daemon.engine.Drivers;
import dev.vessel.daemon.engine.ImageCatalog;
import dev.vessel.daemon.engine.InstanceOps;
import dev.vessel.daemon.engine.ReadyWaiter;
import dev.vessel.daemon.engine.VmCreator;
import dev.vessel.daemon.event.EventBus;
import dev.vessel.daemon.store.Database;
import dev.vessel.daemon.store.SqliteImageStore;
import dev.vessel.daemon.store.SqliteInstanceStore;
import dev.vessel.daemon.store.SqliteTaskStore;
import dev.vessel.daemon.task.TaskRunner;
import dev.vessel.host.ProcessRunner;
import dev.vessel.http.HttpServer;
import dev.vessel.http.Listener;
import dev.vessel.http.Router;
import dev.vessel.oci.Cgroups;
import dev.vessel.oci.RuncRuntime;
import dev.vessel.qemu.QemuImg;
import dev.vessel.qemu.QemuVmDriver;
import dev.vessel.qemu.VmHostLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vessel daemon}: one process that owns the store, the drivers and the API. It composes the pieces and does
 * nothing else; stopping it leaves every VM and container running.
 */
public final class VesselDaemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(VesselDaemon.class.getName());

    private final DaemonConfig config;
    private final Database db;
    private final HttpServer server;
    private final Router router;
    private final Drivers drivers;
    private final dev.vessel.daemon.container.ContainerWiring containerWiring;
    private final dev.vessel.daemon.stats.StatsWiring stats;

    public VesselDaemon(DaemonConfig config) {
        this(config, java.util.List.of());
    }

    /** @param extra services beside the API's own (the CLI relay, which the daemon module does not know) */
    public VesselDaemon(DaemonConfig config, java.util.List<dev.vessel.http.HttpService> extra) {
        this.config = config;
        prepareDirs(config);
        Clock clock = Clock.systemUTC();
        var proc = new ProcessRunner();
        db = new Database(config.database());
        var instances = new SqliteInstanceStore(db);
        var taskStore = new SqliteTaskStore(db);
        var imageStore = new SqliteImageStore(db);
        var events = new EventBus(db, clock);
        var tasks = new TaskRunner(taskStore, clock, events);
        tasks.failOrphans(taskStore.unfinished());

        var runtime = new RuncRuntime(config.runtime(), config.runtimeRoot(), proc);
        var layout = new VmHostLayout(config.instancesDir(), config.runDir().resolve("vm"), config.imagesDir());
        var accel = new HostAccel(config, proc);
        accel.decideInBackground();
        var forward = new ForwardingEvents();
        var net = new dev.vessel.daemon.net.NetworkWiring(config, db, proc);
        var vmDriver = new QemuVmDriver(layout, runtime, accel, forward, Cgroups.host(), clock, net.vmNics());
        containerWiring = dev.vessel.daemon.container.ContainerWiring.start(
                new dev.vessel.daemon.container.ContainerWiring.Parts(config, proc, forward, net.containerNics(), clock));
        drivers = new Drivers(List.of(vmDriver, containerWiring.driver()));
        var ready = new ReadyWaiter(i -> vmDriver.paths(i).serialLog(), instances);
        var ops = new InstanceOps(instances, drivers, new Lifecycle(clock), tasks, events, ready);
        forward.target = ops;
        var networks = net.engine(instances, ops, vmDriver);
        ready.addresses(i -> networks.nics().views(i).stream()
                .map(v -> new dev.vessel.daemon.engine.GuestAddresses.Address(v.index(), v.network(), v.ip(),
                        v.lease() != null && "leased".equals(v.lease().state())))
                .toList());
        var containers = containerWiring.engine(instances, ops, tasks, events, new dev.vessel.daemon.net.ContainerCreates(networks),
                new dev.vessel.daemon.container.RestartCounts(db));
        var qemuImg = new QemuImg(proc);
        var vmCreator = new VmCreator(instances, imageStore, layout, qemuImg, clock, config.defaultStopTimeoutSeconds(), networks.newVms());
        var images = new ImageCatalog(imageStore, instances, config.imagesDir(), qemuImg, new TinyImages(proc, config.cacheDir(), config.downloads()), tasks, events, clock);

        int adopted = new Adoption(instances, drivers, ops, runtime).run();
        LOG.log(System.Logger.Level.INFO, "adopted " + adopted + " running instance(s)");
        net.reconcile(instances);
        containerWiring.afterAdoption();
        var storage = dev.vessel.daemon.storage.StorageWiring.start(new dev.vessel.daemon.storage.StorageWiring.Parts(
                db, instances, ops, vmDriver, layout, config.dataDir(), qemuImg, proc, tasks, events, clock, containerWiring.layers(),
                new dev.vessel.daemon.storage.NicReserver() {
                    @Override
                    public List<dev.vessel.core.model.NicSpec> reserve(String id, String name, List<dev.vessel.core.model.NicSpec> nics) {
                        return networks.newVms().reserveLike(id, name, nics);
                    }

                    @Override
                    public void release(String id) {
                        networks.newVms().release(id, new RuntimeException("release"));
                    }
                }));

        stats = dev.vessel.daemon.stats.StatsWiring.start(new dev.vessel.daemon.stats.StatsWiring.Parts(
                db, instances, ops, drivers, vmDriver, events, clock, config.autoBalloon()));
        var routerRef = new java.util.concurrent.atomic.AtomicReference<Router>();
        var metrics = new dev.vessel.daemon.metrics.DaemonMetrics(routerRef::get, instances, stats.source(), events);
        router = ApiRouter.build(new ApiRouter.Deps(instances, ops, drivers, vmCreator, images, tasks, events,
                i -> i.kind() == dev.vessel.core.model.InstanceKind.CONTAINER ? containerWiring.log(i) : vmDriver.paths(i).serialLog(),
                i -> vmDriver.paths(i).consoleSocket(),
                () -> hostInfo(runtime.describe(), accel), storage, networks, containers, stats, metrics));
        extra.forEach(router::register);
        routerRef.set(router);
        var listeners = new ArrayList<Listener>();
        listeners.add(Listener.unix("unix", config.socket(), router));
        if (config.tcpListen() != null) {
            listeners.add(Listener.tcp("tcp", config.tcpListen(), router, ApiToken.loadOrCreate(config.tokenFile())));
        } else {
            ApiToken.loadOrCreate(config.tokenFile());
        }
        server = new HttpServer(listeners, metrics).start();
        for (var l : listeners) {
            LOG.log(System.Logger.Level.INFO, "listening on " + l.address());
        }
    }

    private Map<String, Object> hostInfo(String runtime, HostAccel accel) {
        var m = new LinkedHashMap<String, Object>();
        m.put("version", SystemService.VERSION);
        m.put("dataDir", config.dataDir().toString());
        m.put("socket", config.socket().toString());
        m.put("runtime", runtime);
        m.put("accel", accel.lastDecision());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("schemaVersion", db.schemaVersion());
        return m;
    }

    public Router router() {
        return router;
    }

    public HttpServer server() {
        return server;
    }

    private static void prepareDirs(DaemonConfig c) {
        try {
            for (var d : List.of(c.dataDir(), c.instancesDir(), c.imagesDir(), c.runDir(), c.runtimeRoot(), c.runDir().resolve("vm"))) {
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
        server.close();
        stats.close();
        drivers.detachAll();
        containerWiring.close();
        db.close();
    }
}
