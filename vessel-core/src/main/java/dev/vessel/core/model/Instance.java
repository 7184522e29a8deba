package dev.vessel.core.model;

import java.time.Instant;

/**
 * One workload: a VM or a container. The name is its {@link ProjectKey} (project and name), unique across both kinds; the id never changes and names the
 * instance's directories and runtime container.
 */
public record Instance(
        String id,
        String name,
        InstanceKind kind,
        InstanceSpec spec,
        InstanceState state,
        RuntimeInfo runtime,
        Instant createdAt) {
    public Instance {
        java.util.Objects.requireNonNull(id, "id");
        ProjectKey.parse(name);
        if (spec.kind() != kind) {
            throw new IllegalArgumentException("spec kind " + spec.kind() + " does not match " + kind);
        }
    }

    /** The project the instance lives in. */
    public String project() {
        return ProjectKey.projectOf(name);
    }

    /** Its name within its project. */
    public String shortName() {
        return ProjectKey.nameOf(name);
    }

    public Instance withState(InstanceState next) {
        return new Instance(id, name, kind, spec, next, runtime, createdAt);
    }

    public Instance withRuntime(RuntimeInfo next) {
        return new Instance(id, name, kind, spec, state, next, createdAt);
    }

    public Instance withSpec(InstanceSpec next) {
        return new Instance(id, name, kind, next, state, runtime, createdAt);
    }
}
