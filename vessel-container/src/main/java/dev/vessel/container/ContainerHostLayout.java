package dev.vessel.container;

import java.nio.file.Path;

/**
 * Where the container driver keeps things on this host and how it names what it makes. Containers share the instances
 * dir and the runtime's id and cgroup scheme with VMs, so leak checks, the reaper and stats treat both kinds alike.
 *
 * @param instancesDir one state dir per instance, named by its id
 * @param runDir one run dir per running container
 * @param volumesDir named volumes (see {@link DirectoryVolumes})
 */
public record ContainerHostLayout(Path instancesDir, Path runDir, Path volumesDir) {
    public ContainerPaths paths(String instanceId) {
        return new ContainerPaths(instancesDir.resolve(instanceId), runDir.resolve(instanceId));
    }

    public static String containerId(String instanceId) {
        return "vessel-" + instanceId;
    }

    public static String cgroupsPath(String instanceId) {
        return "/vessel/" + containerId(instanceId);
    }
}
