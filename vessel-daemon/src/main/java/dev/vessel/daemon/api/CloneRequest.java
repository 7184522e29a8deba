package dev.vessel.daemon.api;

/** The body of {@code POST /api/v1/instances/{name}/clone}: {@code mode} linked (default for templates) or full. */
public record CloneRequest(String name, String mode) {}
