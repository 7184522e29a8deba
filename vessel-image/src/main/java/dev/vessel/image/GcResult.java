package dev.vessel.image;

/** What a garbage collection freed. */
public record GcResult(int blobsRemoved, int layersRemoved, long bytesFreed) {}
