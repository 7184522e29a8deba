package dev.vessel.storage;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;

/**
 * Snapshots of a container's writable layer, the container side of {@code vessel snapshot}: what the OCI container
 * engine implements (for instance by copying or reflinking the overlayfs upper directory while the container is
 * frozen). Until containers exist, {@link #NOT_YET} answers every call with a clear "not yet".
 */
public interface LayerSnapshots {
    void take(String instanceId, String tag);

    void rollback(String instanceId, String tag);

    void delete(String instanceId, String tag);

    LayerSnapshots NOT_YET = new LayerSnapshots() {
        @Override
        public void take(String instanceId, String tag) {
            throw notYet();
        }

        @Override
        public void rollback(String instanceId, String tag) {
            throw notYet();
        }

        @Override
        public void delete(String instanceId, String tag) {
            throw notYet();
        }

        private VesselException notYet() {
            return new VesselException(ProblemType.UNAVAILABLE,
                    "snapshots of a container's writable layer are not there yet: they come with OCI containers", java.util.Map.of(), null);
        }
    };
}
