package dev.vessel.engine.storage;

import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.store.Database;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.ImageTool;
import dev.vessel.qemu.VmHostLayout;
import dev.vessel.qemu.qmp.QmpClient;
import dev.vessel.storage.ImageInspector;
import dev.vessel.storage.cloudinit.CloudInitSeed;
import dev.vessel.storage.download.Downloader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds storage from the daemon's parts, registers its lifecycle guard, and settles what a previous daemon left
 * half-done. Kept out of VesselDaemon so that its wiring stays a few lines.
 */
public final class StorageWiring {
    private StorageWiring() {}

    /** The daemon's parts storage needs. */
    public record Parts(
            Database db,
            InstanceStore instances,
            InstanceOps ops,
            Function<String, Optional<QmpClient>> monitors,
            VmHostLayout layout,
            Path dataDir,
            ImageTool qemuImg,
            ProcessRunner proc,
            TaskRunner tasks,
            EventBus events,
            Clock clock,
            ContainerLayers containerLayers,
            dev.vessel.engine.project.Quotas quotas,
            NicReserver nics,
            dev.vessel.engine.instance.GuestAgents agents) {}

    /** Call after adoption: recovery talks to the VMs that are still running. */
    public static StorageParts start(Parts p) {
        var pools = new Pools(p.db(), p.dataDir(), p.layout().instancesDir(), p.qemuImg(), p.proc(), p.clock());
        var disks = new VmDisks(p.layout());
        var live = new LiveVm(p.monitors(), p.agents());
        var locks = new VmOpLocks();
        var journal = new Journal(p.db(), p.clock());
        var snapshotStore = new SnapshotStore(p.db());
        var volumes = new VolumeOps(pools, p.instances(), disks, live, p.events(), p.quotas());
        p.quotas().volumes(volumes::sizes);
        var imports = new VolumeImports(
                pools,
                volumes,
                new ImageInspector(p.qemuImg()),
                new Downloader(),
                p.dataDir().resolve("downloads"),
                p.tasks(),
                p.events());
        var attachments = new VolumeAttachments(p.ops(), pools, volumes, disks, live, locks, journal, p.events());
        var snapshots = new SnapshotOps(
                p.ops(),
                snapshotStore,
                disks,
                live,
                p.qemuImg(),
                locks,
                journal,
                p.tasks(),
                p.events(),
                p.clock(),
                p.containerLayers());
        var newVms =
                new NewVms(p.instances(), p.layout(), new CloudInitSeed(p.proc()), p.clock(), p.nics(), p.quotas());
        var templates = new TemplateOps(
                p.ops(), p.instances(), disks, newVms, p.qemuImg(), locks, journal, p.tasks(), p.events());
        var backupFiles = new BackupFiles(pools);
        var backups = new BackupOps(
                p.ops(), disks, live, p.qemuImg(), backupFiles, locks, journal, p.tasks(), p.events(), p.clock());
        var restores = new RestoreOps(p.instances(), backupFiles, newVms, journal, p.tasks(), p.events());
        p.ops().addGuard(new StorageGuard(p.instances(), disks, locks, p.qemuImg()));
        List<String> recovered = new StorageRecovery(
                        pools,
                        journal,
                        p.instances(),
                        snapshotStore,
                        snapshots,
                        attachments,
                        disks,
                        live,
                        p.qemuImg(),
                        p.events(),
                        p.ops())
                .run();
        System.getLogger(StorageWiring.class.getName())
                .log(
                        System.Logger.Level.INFO,
                        "storage: " + pools.all().size() + " pool(s), " + recovered.size() + " recovery action(s)");
        return new StorageParts(
                pools, volumes, imports, attachments, snapshots, templates, backups, restores, backupFiles);
    }
}
