package dev.vessel.container;

import dev.vessel.core.driver.ContainerNetworking;
import dev.vessel.host.ProcessRunner;
import dev.vessel.image.OciImageStore;
import dev.vessel.oci.OciRuntime;
import dev.vessel.oci.RuncRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host parts the container driver works with: where things go, runc, the image store, the writable layers, the
 * network and volume providers, vessel-init and the exit watcher.
 *
 * @param runc the runc binary
 * @param runtimeRoot runc's state root (shared with the VM driver: one reaper, one list)
 * @param forceCopy make every new container's writable layer a copy (the daemon's {@code container-rootfs=copy})
 * @param usernsRanges the host id ranges of containers with a user namespace of their own, freed at removal
 */
public record ContainerHost(
        ContainerHostLayout layout,
        String runc,
        Path runtimeRoot,
        OciImageStore images,
        WritableLayer layer,
        ContainerNetworking networking,
        ContainerVolumes volumes,
        Path initBinary,
        ProcessWatcher watcher,
        ProcessRunner proc,
        boolean forceCopy,
        UsernsRanges usernsRanges) {

    public OciRuntime runtime() {
        return new RuncRuntime(runc, runtimeRoot, proc);
    }

    /** {@code runc --root ROOT ARGS...}. */
    List<String> runcArgv(String... args) {
        var a = new ArrayList<String>();
        a.add(runc);
        a.add("--root");
        a.add(runtimeRoot.toString());
        a.addAll(List.of(args));
        return a;
    }
}
