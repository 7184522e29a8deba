package dev.vessel.engine.service;

import dev.vessel.model.ProjectRequest;
import dev.vessel.model.ProjectView;
import java.util.List;

/**
 * Projects: namespaces for instances with quotas. {@code default} always exists. Instance names are unique within a
 * project; networks, images, storage pools and volumes are the node's, shared by all projects (Incus's
 * {@code features.networks=false}, {@code features.images=false}, {@code features.storage.volumes=false}).
 */
public interface Projects {
    List<ProjectView> list();

    ProjectView get(String name);

    /** Refuses a project that does not exist (404); {@code default} always does. */
    void requireExists(String name);

    ProjectView create(ProjectRequest request);

    /** Changes the description or limits; a limit below what is in use already is refused. */
    ProjectView update(String name, ProjectRequest request);

    /** Removes an empty project; one that holds instances is in use, and {@code default} cannot go. */
    void remove(String name);
}
