package dev.vessel.engine.service;

import dev.vessel.core.task.Task;
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
import java.util.List;

/** Storage: pools, volumes and their attachments, snapshots, backups. */
public interface Storage {
    List<PoolView> pools();

    PoolView pool(String name);

    PoolView addPool(PoolCreateRequest request);

    void removePool(String name);

    /** @param pool null for every pool */
    List<VolumeView> volumes(String pool);

    VolumeView volume(String name);

    /** A volume of {@code project} (null: the default one), within its disk quota; names are per project. */
    VolumeView createVolume(String project, VolumeCreateRequest request);

    Task importVolume(String project, VolumeImportRequest request);

    VolumeView resizeVolume(String name, VolumeResizeRequest request);

    void removeVolume(String name);

    VolumeView attach(String vm, AttachRequest request);

    void detach(String vm, String volume);

    SnapshotTree snapshots(String instance);

    /** @param request null for a snapshot with a generated name */
    Task snapshot(String instance, SnapshotRequest request);

    Task rollback(String instance, String snapshot);

    Task deleteSnapshot(String instance, String snapshot);

    /** @param request null for the defaults */
    Task backup(String vm, BackupRequest request);

    /** @param pool null for every pool */
    List<BackupSummary> backups(String pool);

    Task verifyBackup(String archive);

    /**
     * Restores a backup as a new VM in {@code project} (null: the default one), named as the request says or else as
     * the VM the backup was taken of.
     */
    Task restore(String project, RestoreRequest request);
}
