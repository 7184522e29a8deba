package dev.vessel.engine.service;

import dev.vessel.core.task.Task;
import dev.vessel.model.ImageRemoval;
import dev.vessel.model.OciImageView;
import dev.vessel.model.PruneResult;
import dev.vessel.model.RegistryLoginView;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OCI images and the registries they come from. Names (references) are a project's, or the default project's for a
 * project without {@code features.images}: every call names the request's project. Blobs and layers are shared by
 * every project, so the same image pulled twice is stored once.
 */
public interface OciImages {
    /** The images a request in {@code project} sees; null: those of every project, once per project that holds one. */
    List<OciImageView> list(String project);

    /** By reference or id. */
    OciImageView inspect(String project, String ref);

    ImageRemoval remove(String project, String ref);

    Task pull(String project, String ref);

    /** @param name for an image the archive does not name, or null */
    Task load(String project, String path, String name);

    Task importRootfs(String project, String path, String ref);

    OciImageView tag(String project, String source, String target);

    OciImageView untag(String project, String ref);

    /** Deletes blobs and layers that no image of any project references. */
    PruneResult prune();

    /** The layers of a running (or just finished) pull or load, for progress bars. */
    Optional<Map<String, Object>> progress(String taskId);

    List<RegistryLoginView> logins();

    /** Checks the credentials with the registry before keeping them. */
    RegistryLoginView login(String registry, String username, String password);

    void logout(String registry);
}
