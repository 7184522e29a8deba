package dev.vessel.engine.storage;

import dev.vessel.container.ContainerPaths;
import dev.vessel.container.LayerCopies;
import dev.vessel.core.model.Instance;

/** What storage needs from the container side to snapshot a container's writable layer. */
public interface ContainerLayers {
    ContainerPaths paths(Instance container);

    /** How its writable layer is made: overlay or copy (see WritableLayer). */
    String mode(Instance container);

    /** Whether its process runs now. */
    boolean running(Instance container);

    /** Whether its overlay is still mounted, once the cleanup after its last exit has finished. */
    boolean mounted(Instance container);

    /** Freezes every process of the running container (cgroup freezer), so its layer holds still. */
    void freeze(Instance container);

    void thaw(Instance container);

    /** Whether the runtime holds it frozen (a snapshot interrupted by a crash). */
    boolean frozen(Instance container);

    LayerCopies copies();
}
