package dev.vessel.engine.storage;

/** Storage's faces for the API: pools, volumes, snapshots, templates and clones, backups. */
public record StorageParts(
        Pools pools,
        VolumeOps volumes,
        VolumeImports imports,
        VolumeAttachments attachments,
        SnapshotOps snapshots,
        TemplateOps templates,
        BackupOps backups,
        RestoreOps restores,
        BackupFiles backupFiles) {}
