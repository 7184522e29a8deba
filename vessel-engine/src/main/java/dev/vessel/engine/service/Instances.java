package dev.vessel.engine.service;

import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.task.Task;
import dev.vessel.model.InstanceView;
import dev.vessel.model.StartOptions;
import java.util.List;

/** Instances of both kinds: what they are, and their lifecycle. */
public interface Instances {
    /** Grows with every change to any instance: a face may cache a listing until it changes. */
    long generation();

    /** The stored instances as they are, without live figures: cheap, for a face that needs only names and states. */
    List<Instance> stored();

    /** @param kind null for both */
    List<InstanceView> list(InstanceKind kind);

    InstanceView view(String name);

    /** The stored instance (not-found if there is none). */
    Instance get(String name);

    Task start(String name, StartOptions options);

    /** @param timeoutSeconds null for the instance's own stop timeout */
    Task stop(String name, Integer timeoutSeconds);

    Task kill(String name);

    Task restart(String name, Integer timeoutSeconds, StartOptions options);

    void remove(String name, boolean force);
}
