package dev.vessel.model;

/** The body of {@code POST /api/v1/backups/verify}. */
public record VerifyRequest(String archive) {}
