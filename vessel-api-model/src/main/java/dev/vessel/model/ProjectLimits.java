package dev.vessel.model;

/**
 * A project's quotas; a null field is no limit. Memory and disk are bytes.
 *
 * @param instances how many instances (VMs and containers) the project may hold
 * @param cpus the sum of the VMs' vCPUs and the containers' CPU limits
 * @param memory the sum of the VMs' memory and the containers' memory limits
 * @param disk the sum of the virtual sizes of the VMs' writable disks
 * @param networks how many networks of its own the project may hold (Incus's {@code limits.networks})
 */
public record ProjectLimits(Integer instances, Double cpus, Long memory, Long disk, Integer networks) {
    public static final ProjectLimits NONE = new ProjectLimits(null, null, null, null, null);

    public ProjectLimits(Integer instances, Double cpus, Long memory, Long disk) {
        this(instances, cpus, memory, disk, null);
    }
}
