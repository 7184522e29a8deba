package dev.vessel.model;

/** The body of {@code POST /api/v1/pools}: a directory pool. */
public record PoolCreateRequest(String name, String driver, String path) {}
