package dev.vessel.core.driver;

import dev.vessel.core.model.LifecycleEvent;

/** How drivers tell the engine what happened to a running instance (from QMP events or the runtime). */
@FunctionalInterface
public interface DriverEvents {
    void on(String instanceId, LifecycleEvent event);
}
