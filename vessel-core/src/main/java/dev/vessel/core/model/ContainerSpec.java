package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/** An OCI container as the user described it. The image store and the runc driver give it life (issue: containers). */
public record ContainerSpec(
        String image, List<String> entrypoint, List<String> command, Map<String, String> env, String workdir, long memoryBytes, double cpus)
        implements InstanceSpec {
    public ContainerSpec {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    @Override
    @JsonIgnore
    public InstanceKind kind() {
        return InstanceKind.CONTAINER;
    }
}
