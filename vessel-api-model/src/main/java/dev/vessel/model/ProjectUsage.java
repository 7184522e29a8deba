package dev.vessel.model;

/**
 * What a project holds, in the units of {@link ProjectLimits}; also what one new instance (or network) asks for.
 *
 * @param networks the networks of its own (none while it uses the default project's)
 */
public record ProjectUsage(int instances, double cpus, long memory, long disk, int networks) {
    public static final ProjectUsage ZERO = new ProjectUsage(0, 0, 0, 0, 0);

    public ProjectUsage(int instances, double cpus, long memory, long disk) {
        this(instances, cpus, memory, disk, 0);
    }

    public ProjectUsage plus(ProjectUsage o) {
        return new ProjectUsage(
                instances + o.instances, cpus + o.cpus, memory + o.memory, disk + o.disk, networks + o.networks);
    }
}
