package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What the user asked for. The spec never holds runtime facts; those live in {@link RuntimeInfo}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = VmSpec.class, name = "vm"),
    @JsonSubTypes.Type(value = ContainerSpec.class, name = "container")
})
public sealed interface InstanceSpec permits VmSpec, ContainerSpec {
    InstanceKind kind();

    /** The memory limit the user asked for, in bytes (guest RAM for a VM, the cgroup limit for a container; 0 = none). */
    long memoryBytes();

    /** The image the instance came from, for listings; may be null. */
    String image();

    /** How long a stop waits for the workload to end by itself before it is killed. */
    int stopTimeoutSeconds();
}
