package dev.vessel.engine.project;

import dev.vessel.model.ProjectLimits;
import java.time.Instant;

/** A stored project: its name, a description, and its quotas. */
public record ProjectRecord(String name, String description, ProjectLimits limits, Instant createdAt) {
    public ProjectRecord {
        dev.vessel.core.model.Names.requireValid("name", name);
        description = description == null ? "" : description;
        limits = limits == null ? ProjectLimits.NONE : limits;
    }

    public ProjectRecord withLimits(ProjectLimits next) {
        return new ProjectRecord(name, description, next, createdAt);
    }

    public ProjectRecord withDescription(String next) {
        return new ProjectRecord(name, next, limits, createdAt);
    }
}
