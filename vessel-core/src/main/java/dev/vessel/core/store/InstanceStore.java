package dev.vessel.core.store;

import dev.vessel.core.model.Instance;
import java.util.List;
import java.util.Optional;

/** Where instances live. Writes are atomic; a name is taken by at most one instance of either kind. */
public interface InstanceStore {
    /** Inserts, or throws already-exists when the name is taken. */
    void insert(Instance instance);

    /** Replaces the stored instance with the same id; throws not-found when it is gone. */
    void update(Instance instance);

    Optional<Instance> byName(String name);

    Optional<Instance> byId(String id);

    List<Instance> list();

    void delete(String id);
}
