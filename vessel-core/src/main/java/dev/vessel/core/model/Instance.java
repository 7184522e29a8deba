package dev.vessel.core.model;

import java.time.Instant;

/**
 * One workload: a VM or a container. The name is its {@link InstanceKey} (project and name), unique across both kinds; the id never changes and names the
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
        InstanceKey.parse(name);
        if (spec.kind() != kind) {
            throw new IllegalArgumentException("spec kind " + spec.kind() + " does not match " + kind);
        }
    }

    /** The project the instance lives in. */
    public String project() {
        return InstanceKey.projectOf(name);
    }

    /** Its name within its project. */
    public String shortName() {
        return InstanceKey.nameOf(name);
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
