package dev.vessel.container;

import dev.vessel.core.model.IdRange;
import java.nio.file.Path;
import java.util.List;

/**
 * Named volumes for containers ({@code -v NAME:/path}). Behind an interface because storage pools will provide them
 * later (a dataset, a thin volume); today {@link DirectoryVolumes} keeps one directory per volume.
 */
public interface ContainerVolumes {
    /** The host directory to bind for {@code name}, made empty on first use. */
    Path mountSource(String name);

    /**
     * As {@link #mountSource(String)}; a volume made now for a container with a user namespace of its own ({@code
     * owner} not null) is given to that container's root, so that it can write to it. An existing volume is left as
     * it is: its files belong to whoever wrote them.
     */
    default Path mountSource(String name, IdRange owner) {
        return mountSource(name);
    }

    /** Every volume that exists. */
    List<String> list();

    /** Deletes a volume and its data. Missing is fine. */
    void remove(String name);
}
