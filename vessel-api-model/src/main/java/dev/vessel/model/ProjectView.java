package dev.vessel.model;

import java.time.Instant;

/** A project as the API shows it: its quotas beside what it uses now, and which kinds of things it holds itself. */
public record ProjectView(
        String name,
        String description,
        ProjectLimits limits,
        ProjectUsage usage,
        Instant createdAt,
        ProjectFeatures features) {}
