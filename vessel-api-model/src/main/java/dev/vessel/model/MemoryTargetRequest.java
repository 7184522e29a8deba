package dev.vessel.model;

/** The body of {@code POST /api/v1/instances/{name}/memory-target}: a size, or null (or "none") for no target. */
public record MemoryTargetRequest(String target) {}
