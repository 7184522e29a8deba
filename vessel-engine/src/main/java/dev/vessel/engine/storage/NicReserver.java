package dev.vessel.engine.storage;

import dev.vessel.core.model.NicSpec;
import java.util.List;

/**
 * Reserves addresses and MACs for a new VM's NICs (a clone's, a restored backup's) on the networks its source was on,
 * as {@code vm create} does, so that the new VM shows them from the start; {@link #release} gives them back when it
 * is not stored after all.
 */
public interface NicReserver {
    NicReserver NONE = new NicReserver() {
        @Override
        public List<NicSpec> reserve(String id, String name, List<NicSpec> nics) {
            return nics;
        }

        @Override
        public void release(String id) {}
    };

    /** The NICs, same indexes and networks, each with its reserved MAC (and an address on the network). */
    List<NicSpec> reserve(String id, String name, List<NicSpec> nics);

    void release(String id);
}
