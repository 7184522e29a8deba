package dev.vessel.engine.net;

import dev.vessel.core.model.Instance;
import dev.vessel.engine.instance.InstanceGuard;

/** A removed instance gives back its addresses, names and published ports, and its host links go. */
public final class NetworkGuard implements InstanceGuard {
    private static final System.Logger LOG = System.getLogger(NetworkGuard.class.getName());
    private final NetworkHub hub;

    public NetworkGuard(NetworkHub hub) {
        this.hub = hub;
    }

    @Override
    public void afterRemove(Instance instance) {
        if (!hub.enabled()) {
            return;
        }
        try {
            hub.manager().release(instance.id());
        } catch (RuntimeException e) {
            // The instance is gone already; the reconcile at the next start frees what is left.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "cannot release the addresses of " + instance.name() + ": " + e.getMessage());
        }
    }
}
