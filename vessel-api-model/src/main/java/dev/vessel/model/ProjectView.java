package dev.vessel.model;

import java.time.Instant;

/** A project as the API shows it: its quotas beside what its instances use now. */
public record ProjectView(
        String name, String description, ProjectLimits limits, ProjectUsage usage, Instant createdAt) {}
