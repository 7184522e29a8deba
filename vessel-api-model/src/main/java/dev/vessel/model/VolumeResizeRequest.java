package dev.vessel.model;

/** The body of {@code POST /api/v1/volumes/{name}/resize}: "20G", or "+5G"; shrinking needs {@code force}. */
public record VolumeResizeRequest(String size, Boolean force) {}
