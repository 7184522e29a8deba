package dev.vessel.engine.service;

import dev.vessel.core.task.Task;
import dev.vessel.model.ImageRemoval;
import dev.vessel.model.OciImageView;
import dev.vessel.model.PruneResult;
import dev.vessel.model.RegistryLoginView;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** OCI images and the registries they come from. */
public interface OciImages {
    List<OciImageView> list();

    /** By reference or id. */
    OciImageView inspect(String ref);

    ImageRemoval remove(String ref);

    Task pull(String ref);

    /** @param name for an image the archive does not name, or null */
    Task load(String path, String name);

    Task importRootfs(String path, String ref);

    OciImageView tag(String source, String target);

    OciImageView untag(String ref);

    PruneResult prune();

    /** The layers of a running (or just finished) pull or load, for progress bars. */
    Optional<Map<String, Object>> progress(String taskId);

    List<RegistryLoginView> logins();

    /** Checks the credentials with the registry before keeping them. */
    RegistryLoginView login(String registry, String username, String password);

    void logout(String registry);
}
