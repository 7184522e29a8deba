package dev.vessel.engine.service;

import dev.vessel.model.ProjectRequest;
import dev.vessel.model.ProjectView;
import java.util.List;

/**
 * Projects: namespaces for instances, volumes, and (by their features) networks and images, with quotas.
 * {@code default} always exists. Names are unique within a project. A project with {@code features.networks} or
 * {@code features.images} off uses the default project's networks or images (Incus's effective project); storage
 * pools are the node's.
 */
public interface Projects {
    List<ProjectView> list();

    ProjectView get(String name);

    /** Refuses a project that does not exist (404); {@code default} always does. */
    void requireExists(String name);

    /** The project whose networks a request in {@code project} sees and makes: itself, or default. */
    String networkProject(String project);

    /** The project whose VM and OCI images a request in {@code project} sees and makes: itself, or default. */
    String imageProject(String project);

    ProjectView create(ProjectRequest request);

    /**
     * Changes the description, limits or features; a limit below what is in use already is refused, and so is a
     * feature change while the project holds anything (or for the default project).
     */
    ProjectView update(String name, ProjectRequest request);

    /** Removes an empty project; one that holds anything is in use, and {@code default} cannot go. */
    void remove(String name);
}
