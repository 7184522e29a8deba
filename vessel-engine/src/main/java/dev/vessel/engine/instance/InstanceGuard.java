package dev.vessel.engine.instance;

import dev.vessel.core.model.Instance;

/**
 * Lets another part of the engine veto or follow lifecycle operations without InstanceOps knowing it: storage refuses
 * to start a template or a VM in the middle of a rollback, refuses to remove a template that linked clones still use,
 * and removes a template's shared disks after it is gone.
 */
public interface InstanceGuard {
    /** Throws to refuse the start (or the start half of a restart). */
    default void beforeStart(Instance instance) {}

    /** Throws to refuse the removal. */
    default void beforeRemove(Instance instance) {}

    /** The instance and its directories are gone. */
    default void afterRemove(Instance instance) {}
}
