package dev.vessel.qemu;

import java.nio.file.Path;

/** Where the VM driver keeps things on this host, and how it names what it makes there. */
public record VmHostLayout(Path instancesDir, Path vmRunDir, Path imagesDir) {
    public VmPaths paths(String instanceId) {
        return new VmPaths(instancesDir.resolve(instanceId), vmRunDir.resolve(instanceId));
    }

    /** The runtime container of an instance; the prefix lets a reaper recognise Vessel's containers. */
    public static String containerId(String instanceId) {
        return "vessel-" + instanceId;
    }

    public static String cgroupsPath(String instanceId) {
        return "/vessel/" + containerId(instanceId);
    }
}
