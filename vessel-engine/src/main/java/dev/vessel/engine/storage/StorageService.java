package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.task.Task;
import dev.vessel.engine.service.Storage;
import dev.vessel.model.AttachRequest;
import dev.vessel.model.BackupRequest;
import dev.vessel.model.BackupSummary;
import dev.vessel.model.PoolCreateRequest;
import dev.vessel.model.PoolView;
import dev.vessel.model.RestoreRequest;
import dev.vessel.model.SnapshotRequest;
import dev.vessel.model.SnapshotTree;
import dev.vessel.model.VolumeCreateRequest;
import dev.vessel.model.VolumeImportRequest;
import dev.vessel.model.VolumeResizeRequest;
import dev.vessel.model.VolumeView;
import dev.vessel.storage.PoolInfo;
import dev.vessel.storage.StoragePool;
import java.util.List;

/** {@link Storage}: pools, volumes, attachments, snapshots and backups, each kept by its own class in this package. */
public final class StorageService implements Storage {
    private final StorageParts parts;

    public StorageService(StorageParts parts) {
        this.parts = parts;
    }

    private static PoolView view(StoragePool p) {
        PoolInfo i = p.info();
        return new PoolView(i.name(), i.driver(), i.location(), i.capacityBytes(), i.availableBytes());
    }

    @Override
    public List<PoolView> pools() {
        return parts.pools().all().stream().map(StorageService::view).toList();
    }

    @Override
    public PoolView pool(String name) {
        return view(parts.pools().get(name));
    }

    @Override
    public PoolView addPool(PoolCreateRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        if (r.driver() != null && !r.driver().equals("dir")) {
            throw VesselException.invalid(
                    "driver",
                    "'" + r.driver()
                            + "' is not available yet; only dir pools (LVM-thin, ZFS and Ceph RBD come later)");
        }
        return view(parts.pools().addDirectory(r.name(), r.path()));
    }

    @Override
    public void removePool(String name) {
        parts.pools().remove(name);
    }

    @Override
    public List<VolumeView> volumes(String pool) {
        return parts.volumes().list(pool);
    }

    @Override
    public VolumeView volume(String name) {
        return parts.volumes().get(name);
    }

    @Override
    public VolumeView createVolume(String project, VolumeCreateRequest r) {
        return parts.volumes().create(project, r);
    }

    @Override
    public Task importVolume(String project, VolumeImportRequest r) {
        return parts.imports().start(project, r);
    }

    @Override
    public VolumeView resizeVolume(String name, VolumeResizeRequest r) {
        return parts.volumes().resize(name, r);
    }

    @Override
    public void removeVolume(String name) {
        parts.volumes().remove(name);
    }

    @Override
    public VolumeView attach(String vm, AttachRequest r) {
        return parts.attachments().attach(vm, r);
    }

    @Override
    public void detach(String vm, String volume) {
        parts.attachments().detach(vm, volume);
    }

    @Override
    public SnapshotTree snapshots(String instance) {
        return parts.snapshots().list(instance);
    }

    @Override
    public Task snapshot(String instance, SnapshotRequest r) {
        return parts.snapshots().create(instance, r);
    }

    @Override
    public Task rollback(String instance, String snapshot) {
        return parts.snapshots().rollback(instance, snapshot);
    }

    @Override
    public Task deleteSnapshot(String instance, String snapshot) {
        return parts.snapshots().delete(instance, snapshot);
    }

    @Override
    public Task backup(String vm, BackupRequest r) {
        return parts.backups().create(vm, r);
    }

    @Override
    public List<BackupSummary> backups(String pool) {
        return parts.backupFiles().list(pool);
    }

    @Override
    public Task verifyBackup(String archive) {
        return parts.backups().verify(archive);
    }

    @Override
    public Task restore(String project, RestoreRequest r) {
        return parts.restores().restore(project, r);
    }
}
