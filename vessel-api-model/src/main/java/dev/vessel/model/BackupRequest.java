package dev.vessel.model;

/** The body of {@code POST /api/v1/instances/{name}/backup}: an archive file ({@code to}) or a pool ({@code pool}, default local). */
public record BackupRequest(String to, String pool) {}
