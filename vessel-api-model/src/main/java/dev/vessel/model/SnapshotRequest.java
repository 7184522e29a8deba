package dev.vessel.model;

/** The body of {@code POST /api/v1/instances/{name}/snapshots}; a missing name becomes {@code snap-<time>}. */
public record SnapshotRequest(String name, Boolean ram, String description) {}
