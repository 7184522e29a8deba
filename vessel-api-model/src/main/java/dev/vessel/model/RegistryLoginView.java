package dev.vessel.model;

/** A registry the daemon has credentials for (never the password). */
public record RegistryLoginView(String registry, String username) {}
