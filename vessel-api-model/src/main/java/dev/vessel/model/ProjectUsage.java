package dev.vessel.model;

/** What a project's instances hold, in the units of {@link ProjectLimits}; also what one new instance asks for. */
public record ProjectUsage(int instances, double cpus, long memory, long disk) {
    public static final ProjectUsage ZERO = new ProjectUsage(0, 0, 0, 0);

    public ProjectUsage plus(ProjectUsage o) {
        return new ProjectUsage(instances + o.instances, cpus + o.cpus, memory + o.memory, disk + o.disk);
    }
}
