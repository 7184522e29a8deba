package dev.vessel.rest;

import dev.vessel.access.ProjectScope;
import dev.vessel.engine.service.Projects;

/** The {@link ProjectScope} of the native API: the engine's projects say where networks and images live. */
public final class ApiProjectScope implements ProjectScope {
    private final Projects projects;

    private ApiProjectScope(Projects projects) {
        this.projects = projects;
    }

    public static ProjectScope of(Projects projects) {
        return new ApiProjectScope(projects);
    }

    @Override
    public void requireExists(String project) {
        projects.requireExists(project);
    }

    @Override
    public String holder(String kind, String project) {
        return switch (kind == null ? "" : kind) {
            case "networks" -> projects.networkProject(project);
            case "images" -> projects.imageProject(project);
            default -> project;
        };
    }
}
