package dev.vessel.engine.testing;

import dev.vessel.container.ContainerPaths;
import dev.vessel.container.LayerCopies;
import dev.vessel.core.driver.DriverEvents;
import dev.vessel.core.driver.fake.FakeHost;
import dev.vessel.core.driver.fake.FakeInstanceDriver;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.Lifecycle;
import dev.vessel.core.model.LifecycleEvent;
import dev.vessel.core.model.NicSpec;
import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskState;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.Adoption;
import dev.vessel.engine.instance.Drivers;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.instance.ReadyWaiter;
import dev.vessel.engine.instance.RestartCounts;
import dev.vessel.engine.instance.RestartSupervisor;
import dev.vessel.engine.storage.ContainerLayers;
import dev.vessel.engine.storage.NicReserver;
import dev.vessel.engine.storage.StorageParts;
import dev.vessel.engine.storage.StorageWiring;
import dev.vessel.engine.store.Database;
import dev.vessel.engine.store.SqliteImageStore;
import dev.vessel.engine.store.SqliteInstanceStore;
import dev.vessel.engine.store.SqliteTaskStore;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.engine.vm.VmCreator;
import dev.vessel.host.ProcessRunner;
import dev.vessel.model.Event;
import dev.vessel.model.VmCreateRequest;
import dev.vessel.oci.FakeOciRuntime;
import dev.vessel.qemu.FakeImageTool;
import dev.vessel.qemu.VmHostLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine's operations wired as the daemon wires them (the store, tasks, events, lifecycle, adoption, the
 * container supervisor, storage with its journal and recovery), on fakes of what touches the host: drivers over a
 * {@link FakeHost}, a {@link FakeOciRuntime}, a {@link FakeImageTool} and {@link FakeVmNetworking}. No root, no QEMU,
 * no runc.
 *
 * <p>{@link #restart} is a daemon restart: the old parts let go (as a {@code kill -9} does, the workloads go on), new
 * parts open the same store and directories, adopt what runs and settle what was half done.
 */
public final class EngineHarness implements AutoCloseable {
    public static final Duration TASK_TIMEOUT = Duration.ofSeconds(30);

    /** What outlives a daemon: the host, the runtime's containers, the files. */
    public record Machine(
            Path dir, FakeHost host, FakeOciRuntime runtime, FakeImageTool images, FakeVmNetworking networks) {
        public static Machine in(Path dir) {
            return new Machine(
                    dir, new FakeHost(), new FakeOciRuntime(), new FakeImageTool(), new FakeVmNetworking("default"));
        }
    }

    public final Machine machine;
    public final Database db;
    public final SqliteInstanceStore instances;
    public final TaskRunner tasks;
    public final EventBus events;
    public final FakeInstanceDriver vmDriver;
    public final FakeInstanceDriver containerDriver;
    public final InstanceOps ops;
    public final VmCreator vmCreator;
    public final dev.vessel.engine.project.SqliteProjectStore projects;
    public final dev.vessel.engine.project.Quotas quotas;
    /** The projects on {@link #projects}, with the VM images' holdings registered as the daemon registers them. */
    public final dev.vessel.engine.project.ProjectService projectService;
    /** VM images on the fake image tool; the tiny guest's build writes small stand-in files. */
    public final dev.vessel.engine.vm.ImageCatalog images;

    public final RestartSupervisor supervisor;
    public final StorageParts storage;
    public final VmHostLayout layout;
    public final int adopted;
    public final List<Event> seen = new CopyOnWriteArrayList<>();
    private final Drivers drivers;

    private EngineHarness(Machine m) {
        this.machine = m;
        Clock clock = Clock.systemUTC();
        dir("instances", "images", "run/vm");
        db = new Database(m.dir().resolve("vessel.db"));
        instances = new SqliteInstanceStore(db);
        var taskStore = new SqliteTaskStore(db);
        events = new EventBus(db, clock);
        events.subscribe(seen::add);
        tasks = new TaskRunner(taskStore, clock, events);
        tasks.failOrphans(taskStore.unfinished());
        layout = new VmHostLayout(
                m.dir().resolve("instances"), m.dir().resolve("run/vm"), m.dir().resolve("images"));
        var forward = new Forward();
        vmDriver = new FakeInstanceDriver(InstanceKind.VM, m.host(), forward);
        containerDriver = new FakeInstanceDriver(InstanceKind.CONTAINER, m.host(), forward);
        drivers = new Drivers(List.of(vmDriver, containerDriver));
        var ready = new ReadyWaiter(i -> layout.paths(i.id()).serialLog(), instances);
        ops = new InstanceOps(instances, drivers, new Lifecycle(clock), tasks, events, ready);
        forward.target = ops;
        projects = new dev.vessel.engine.project.SqliteProjectStore(db);
        quotas = new dev.vessel.engine.project.Quotas(projects, instances);
        projectService = new dev.vessel.engine.project.ProjectService(projects, instances, quotas, events, clock);
        var imageStore = new SqliteImageStore(db);
        vmCreator = new VmCreator(
                instances, imageStore, layout, m.images(), clock, 5, m.networks(), quotas, projectService.scopes());
        images = new dev.vessel.engine.vm.ImageCatalog(
                imageStore,
                instances,
                m.dir().resolve("images"),
                m.images(),
                EngineHarness::fakeTiny,
                tasks,
                events,
                clock,
                projectService.scopes());
        projectService.holds(
                "image(s)",
                p -> images.keysOf(p).stream()
                        .map(dev.vessel.core.model.ProjectKey::nameOf)
                        .toList());
        adopted = new Adoption(instances, drivers, ops, m.runtime()).run();
        supervisor = new RestartSupervisor(instances, ops, tasks, events, clock, new RestartCounts(db));
        supervisor.start();
        storage = StorageWiring.start(new StorageWiring.Parts(
                db,
                instances,
                ops,
                id -> Optional.empty(),
                layout,
                m.dir(),
                m.images(),
                new ProcessRunner(),
                tasks,
                events,
                clock,
                new NoContainerLayers(),
                quotas,
                new NicReserver() {
                    @Override
                    public List<NicSpec> reserve(String id, String name, List<NicSpec> nics) {
                        return m.networks().reserveLike(id, name, nics);
                    }

                    @Override
                    public void release(String id) {
                        m.networks().release(id, new RuntimeException("release"));
                    }
                },
                null));
    }

    /** A fresh machine in {@code dir} and a daemon on it. */
    public static EngineHarness start(Path dir) {
        return new EngineHarness(Machine.in(dir));
    }

    /** A daemon on a machine an earlier one ran on (that one is gone already). */
    public static EngineHarness on(Machine m) {
        return new EngineHarness(m);
    }

    /** The tiny guest's files as a build leaves them, small and fake (the disk a qcow2 of the fake image tool). */
    static dev.vessel.engine.vm.TinyBuilder.Artifacts fakeTiny(
            Path work, dev.vessel.core.driver.InstanceDriver.Progress p) {
        try {
            Path disk = work.resolve("root.qcow2");
            FakeImageTool.write(disk, "qcow2", 64L << 20, "tiny root");
            return new dev.vessel.engine.vm.TinyBuilder.Artifacts(
                    Files.writeString(work.resolve("vmlinuz"), "kernel"),
                    Files.writeString(work.resolve("initrd.img"), "initrd"),
                    Files.writeString(work.resolve("initrd-disk.img"), "disk initrd"),
                    disk,
                    "console=ttyS0",
                    "VESSEL-READY");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The daemon goes down (workloads run on) and a new one starts on the same machine. */
    public EngineHarness restart() {
        close();
        return new EngineHarness(machine);
    }

    /** A VM made from a fake disk image and a kernel file, as {@code vm create --disk --kernel} makes one. */
    public Instance createVm(String name, String... diskData) {
        return createVmIn(null, name, diskData);
    }

    /** {@link #createVm} in {@code project} (null: the default one). */
    public Instance createVmIn(String project, String name, String... diskData) {
        try {
            Path src = machine.dir().resolve("src-" + name);
            Files.createDirectories(src);
            Path kernel = Files.writeString(src.resolve("vmlinuz"), "fake kernel");
            var disks = new java.util.ArrayList<VmCreateRequest.DiskRequest>();
            for (int i = 0; i < diskData.length; i++) {
                Path d = src.resolve("disk" + i + ".qcow2");
                FakeImageTool.write(d, "qcow2", 64L << 20, diskData[i]);
                disks.add(new VmCreateRequest.DiskRequest(d.toString(), null));
            }
            return ops.created(vmCreator.create(
                    project,
                    new VmCreateRequest(
                            name,
                            null,
                            "256M",
                            1,
                            "tcg",
                            5,
                            kernel.toString(),
                            null,
                            "console=ttyS0",
                            disks,
                            null,
                            null,
                            null,
                            null,
                            null)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores a created container, as the container creator does once its rootfs is made. */
    public Instance createContainer(Instance container) {
        instances.insert(container);
        return ops.created(container);
    }

    public Instance get(String name) {
        return ops.get(name);
    }

    /** Waits for a task to end and returns how it ended. */
    public Task await(Task t) {
        try {
            return tasks.await(t.id(), TASK_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a task and fails the test unless it succeeded. */
    public Task succeed(Task t) {
        Task end = await(t);
        if (end.state() != TaskState.SUCCEEDED) {
            throw new AssertionError(t.operation() + " " + t.target() + " ended "
                    + end.state().label()
                    + (end.error() == null ? "" : ": " + end.error().detail()) + "; log: " + tasks.log(t.id(), 0));
        }
        return end;
    }

    /** The disk files of a VM, in boot order. */
    public List<Path> disks(Instance vm) {
        return ((dev.vessel.core.model.VmSpec) get(vm.name()).spec())
                .boot().disks().stream().map(d -> Path.of(d.path())).toList();
    }

    private void dir(String... names) {
        try {
            for (String n : names) {
                Files.createDirectories(machine.dir().resolve(n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        drivers.detachAll();
        db.close();
    }

    private static final class Forward implements DriverEvents {
        volatile DriverEvents target;

        @Override
        public void on(String instanceId, LifecycleEvent event) {
            if (target != null) {
                target.on(instanceId, event);
            }
        }
    }

    /** Container layers are the container module's (root: overlay mounts); these tests snapshot VMs. */
    private static final class NoContainerLayers implements ContainerLayers {
        @Override
        public ContainerPaths paths(Instance container) {
            throw new UnsupportedOperationException("container layers are not faked");
        }

        @Override
        public String mode(Instance container) {
            throw new UnsupportedOperationException("container layers are not faked");
        }

        @Override
        public boolean running(Instance container) {
            return false;
        }

        @Override
        public boolean mounted(Instance container) {
            return false;
        }

        @Override
        public void freeze(Instance container) {
            throw new UnsupportedOperationException("container layers are not faked");
        }

        @Override
        public void thaw(Instance container) {
            throw new UnsupportedOperationException("container layers are not faked");
        }

        @Override
        public boolean frozen(Instance container) {
            return false;
        }

        @Override
        public LayerCopies copies() {
            throw new UnsupportedOperationException("container layers are not faked");
        }
    }
}
