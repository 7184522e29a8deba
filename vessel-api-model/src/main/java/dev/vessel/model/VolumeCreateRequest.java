package dev.vessel.model;

/** The body of {@code POST /api/v1/volumes}: a new empty volume. */
public record VolumeCreateRequest(String name, String pool, String size, String format, String preallocation) {}
