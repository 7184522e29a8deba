package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One storage operation per VM at a time (a snapshot, a rollback, a backup, a clone from it ...). The holder's name is
 * kept so that a refusal can say what is in the way, and so that start and remove can refuse while it runs.
 */
public final class VmOpLocks {
    private final Map<String, String> held = new ConcurrentHashMap<>();

    /** A held lock; closing releases it. */
    public final class Held implements AutoCloseable {
        private final String instanceId;

        private Held(String instanceId) {
            this.instanceId = instanceId;
        }

        @Override
        public void close() {
            held.remove(instanceId);
        }
    }

    public Held acquire(String instanceId, String name, String operation) {
        String before = held.putIfAbsent(instanceId, operation);
        if (before != null) {
            throw VesselException.state("vm '" + name + "' is busy: " + before + " is in progress");
        }
        return new Held(instanceId);
    }

    /** Lets go for a moment, so that the holder itself can run a lifecycle step the lock would refuse. */
    void releaseFor(String instanceId) {
        held.remove(instanceId);
    }

    void reacquire(String instanceId, String operation) {
        held.put(instanceId, operation);
    }

    /** The operation holding the VM, or null. */
    public String holder(String instanceId) {
        return held.get(instanceId);
    }
}
