package dev.vessel.model;

/** {@code vessel logout}. */
public record LogoutRequest(String registry) {}
