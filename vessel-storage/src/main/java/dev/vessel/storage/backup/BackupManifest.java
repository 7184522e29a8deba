package dev.vessel.storage.backup;

import java.time.Instant;
import java.util.List;

/**
 * The last member of a backup archive: the SHA-256 of every member as stored, and of every disk as it was before
 * compression, so that verify can check both the archive and what a restore will write.
 */
public record BackupManifest(
        int format, Instant createdAt, List<Member> members, List<Disk> disks, Throughput throughput) {
    public static final String NAME = "manifest.json";

    public BackupManifest {
        members = List.copyOf(members);
        disks = List.copyOf(disks);
    }

    public record Member(String name, long size, String sha256) {}

    /**
     * @param member the archive member that holds the disk ({@code disks/disk0.qcow2.zst})
     * @param rawSize the disk image file's size before compression
     */
    public record Disk(String member, long rawSize, String rawSha256) {}

    /** How fast the backup ran: the disk bytes read, the archive bytes written, and the time it took. */
    public record Throughput(long diskBytes, long archiveBytes, long millis) {}
}
