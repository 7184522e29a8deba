package dev.vessel.engine.container;

import dev.vessel.container.ContainerHostLayout;
import dev.vessel.container.ContainerPaths;
import dev.vessel.container.LayerCopies;
import dev.vessel.container.RuncContainerDriver;
import dev.vessel.container.WritableLayer;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.engine.storage.ContainerLayers;
import dev.vessel.oci.OciRuntime;

/** The container side of storage's container snapshots: paths, layer mode, the runtime's freezer. */
final class ContainerLayerAccess implements ContainerLayers {
    private final RuncContainerDriver driver;
    private final OciRuntime runtime;
    private final LayerCopies copies;

    ContainerLayerAccess(RuncContainerDriver driver, OciRuntime runtime, LayerCopies copies) {
        this.driver = driver;
        this.runtime = runtime;
        this.copies = copies;
    }

    @Override
    public ContainerPaths paths(Instance container) {
        return driver.paths(container);
    }

    @Override
    public String mode(Instance container) {
        if (!(container.spec() instanceof ContainerSpec spec)) {
            throw VesselException.invalid("instance", "'" + container.name() + "' is not a container");
        }
        return spec.rootfs();
    }

    @Override
    public boolean running(Instance container) {
        return driver.isRunning(container.id());
    }

    @Override
    public boolean mounted(Instance container) {
        driver.awaitCleanup(container.id());
        return WritableLayer.mounted(paths(container).rootfs());
    }

    @Override
    public void freeze(Instance container) {
        runtime.pause(ContainerHostLayout.containerId(container.id()));
    }

    @Override
    public void thaw(Instance container) {
        runtime.resume(ContainerHostLayout.containerId(container.id()));
    }

    @Override
    public boolean frozen(Instance container) {
        return runtime.state(ContainerHostLayout.containerId(container.id()))
                .map(s -> s.status() == OciRuntime.Status.PAUSED)
                .orElse(false);
    }

    @Override
    public LayerCopies copies() {
        return copies;
    }
}
