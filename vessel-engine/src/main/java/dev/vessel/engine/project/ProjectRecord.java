package dev.vessel.engine.project;

import dev.vessel.model.ProjectFeatures;
import dev.vessel.model.ProjectLimits;
import java.time.Instant;

/**
 * A stored project: its name, a description, its quotas, and which kinds of things it holds of its own.
 *
 * @param features null reads as {@link ProjectFeatures#NONE}: a project stored before features existed
 */
public record ProjectRecord(
        String name, String description, ProjectLimits limits, Instant createdAt, ProjectFeatures features) {
    public ProjectRecord {
        dev.vessel.core.model.Names.requireValid("name", name);
        description = description == null ? "" : description;
        limits = limits == null ? ProjectLimits.NONE : limits;
        features = features == null ? ProjectFeatures.NONE : features;
    }

    public ProjectRecord withLimits(ProjectLimits next) {
        return new ProjectRecord(name, description, next, createdAt, features);
    }

    public ProjectRecord withDescription(String next) {
        return new ProjectRecord(name, next, limits, createdAt, features);
    }

    public ProjectRecord withFeatures(ProjectFeatures next) {
        return new ProjectRecord(name, description, limits, createdAt, next);
    }
}
