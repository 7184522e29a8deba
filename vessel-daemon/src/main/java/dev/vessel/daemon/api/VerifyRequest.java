package dev.vessel.daemon.api;

/** The body of {@code POST /api/v1/backups/verify}. */
public record VerifyRequest(String archive) {}
