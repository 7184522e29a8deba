package dev.vessel.engine.project;

import dev.vessel.core.model.ProjectKey;
import dev.vessel.model.ProjectFeatures;
import java.util.function.Predicate;

/**
 * Where a project's networks and images live, by its features: in the project itself, or in the default project
 * where the feature is off (Incus's effective project). A project that does not exist is its own scope: nothing lives
 * there, and whatever tries to make something in it is refused by the project check. Since features change only on
 * an empty project, what a project's instances once resolved stays where it was.
 */
public final class ProjectScopes {
    private final ProjectStore store;

    public ProjectScopes(ProjectStore store) {
        this.store = store;
    }

    /** The project whose networks {@code project} sees, joins and makes. */
    public String networks(String project) {
        return scope(project, ProjectFeatures::networks);
    }

    /** The project whose VM and OCI images {@code project} sees, uses and makes. */
    public String images(String project) {
        return scope(project, ProjectFeatures::images);
    }

    /** The engine's key of network {@code name} as {@code project} means it. */
    public String networkKey(String project, String name) {
        return ProjectKey.of(networks(project), name);
    }

    /** The engine's key of VM image {@code name} as {@code project} means it. */
    public String imageKey(String project, String name) {
        return ProjectKey.of(images(project), name);
    }

    /** The project's features; the default project holds all of its own. */
    public ProjectFeatures features(String project) {
        if (project == null || project.equals(ProjectKey.DEFAULT_PROJECT)) {
            return ProjectFeatures.DEFAULT_PROJECT;
        }
        return store.get(project).map(ProjectRecord::features).orElse(ProjectFeatures.DEFAULT_PROJECT);
    }

    private String scope(String project, Predicate<ProjectFeatures> own) {
        if (project == null) {
            return ProjectKey.DEFAULT_PROJECT;
        }
        return own.test(features(project)) ? project : ProjectKey.DEFAULT_PROJECT;
    }
}
