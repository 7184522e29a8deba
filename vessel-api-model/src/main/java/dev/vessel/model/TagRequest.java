package dev.vessel.model;

/** {@code image tag SOURCE TARGET}. */
public record TagRequest(String source, String target) {}
