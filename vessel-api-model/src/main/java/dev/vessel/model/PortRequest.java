package dev.vessel.model;

/** The body of {@code POST /api/v1/ports}: the instance and {@code [HOST_IP:]HOST_PORT:PORT[/PROTO]}. */
public record PortRequest(String instance, String port) {}
