package dev.vessel.access;

import java.time.Instant;
import java.util.List;

/** A user as the API shows it: never its hash. */
public record UserView(
        String name, List<String> groups, boolean enabled, String comment, Instant created, int tokens) {}
