package dev.vessel.container;

import java.nio.file.Path;
import java.util.List;

/**
 * Named volumes for containers ({@code -v NAME:/path}). Behind an interface because storage pools will provide them
 * later (a dataset, a thin volume); today {@link DirectoryVolumes} keeps one directory per volume.
 */
public interface ContainerVolumes {
    /** The host directory to bind for {@code name}, made empty on first use. */
    Path mountSource(String name);

    /** Every volume that exists. */
    List<String> list();

    /** Deletes a volume and its data. Missing is fine. */
    void remove(String name);
}
