package dev.vessel.model;

/** The body of {@code POST /api/v1/instances/{name}/clone}: {@code mode} linked (default for templates) or full. */
public record CloneRequest(String name, String mode) {}
