package dev.vessel.daemon.api;

/** The body of {@code POST /api/v1/volumes}: a new empty volume. */
public record VolumeCreateRequest(String name, String pool, String size, String format, String preallocation) {}
