package dev.vessel.storage.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The first member of a backup archive: what was backed up, readable without going through the disks (listings read
 * only this).
 *
 * @param config the instance as the daemon stored it (spec included), opaque to the archive format
 * @param disks one per disk, in the VM's order
 * @param files small files restored as they are (a VM's own kernel, its cloud-init sources)
 */
public record BackupHeader(
        int format,
        String vmName,
        String vmId,
        Instant createdAt,
        boolean live,
        JsonNode config,
        List<DiskEntry> disks,
        List<FileEntry> files) {
    public static final String NAME = "backup.json";
    public static final int FORMAT = 1;

    public BackupHeader {
        disks = List.copyOf(disks);
        files = List.copyOf(files);
    }

    /**
     * @param index the disk's position in the VM's boot disks
     * @param member the archive member with its zstd-compressed image
     * @param format the image format inside (qcow2, or raw)
     */
    public record DiskEntry(
            int index, String member, String format, long virtualSize, boolean readOnly, String media) {}

    /** @param role what the file is to the VM: "kernel", "initrd", "cloud-init/user-data", ... */
    public record FileEntry(String role, String member) {}
}
