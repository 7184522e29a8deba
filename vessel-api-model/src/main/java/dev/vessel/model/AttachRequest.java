package dev.vessel.model;

/** The body of {@code POST /api/v1/instances/{name}/volumes}: attach a volume (hot-plugged if the VM runs). */
public record AttachRequest(String volume, Boolean readOnly) {}
