package dev.vessel.core.store;

import dev.vessel.core.model.Instance;
import java.util.List;
import java.util.Optional;

/** Where instances live. Writes are atomic; a name is taken by at most one instance of either kind. */
public interface InstanceStore {
    /**
     * A number that changes whenever an instance is inserted, updated or deleted (for caches of what is derived from
     * the list), or -1 when the store cannot say.
     */
    default long generation() {
        return -1;
    }

    /** Inserts, or throws already-exists when the name is taken. */
    void insert(Instance instance);

    /** Replaces the stored instance with the same id; throws not-found when it is gone. */
    void update(Instance instance);

    Optional<Instance> byName(String name);

    Optional<Instance> byId(String id);

    List<Instance> list();

    void delete(String id);
}
