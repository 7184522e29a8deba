package dev.vessel.model;

/** What pruning the OCI store freed. */
public record PruneResult(int blobsRemoved, int layersRemoved, long bytesFreed) {}
