package dev.vessel.daemon.api;

/** The body of {@code POST /api/v1/pools}: a directory pool. */
public record PoolCreateRequest(String name, String driver, String path) {}
