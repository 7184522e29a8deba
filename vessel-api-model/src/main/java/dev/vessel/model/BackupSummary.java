package dev.vessel.model;

import java.time.Instant;

/** A backup archive in a pool: the VM it holds, when and how it was taken, and its size. */
public record BackupSummary(
        String archive, String pool, String vm, Instant createdAt, boolean live, int disks, long sizeBytes) {}
