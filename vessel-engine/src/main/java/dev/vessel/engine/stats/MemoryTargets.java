package dev.vessel.engine.stats;

import dev.vessel.engine.store.Database;
import java.time.Clock;
import java.util.Optional;

/** The balloon targets set with {@code vm set --memory-target}, kept in the store so they outlive restarts. */
public final class MemoryTargets {
    private final Database db;
    private final Clock clock;

    public MemoryTargets(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Optional<Long> get(String instanceId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT bytes FROM memory_targets WHERE instance_id = ?")) {
                ps.setString(1, instanceId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    /** Sets the target; null clears it (the guest keeps all its RAM). */
    public void set(String instanceId, Long bytes) {
        db.write(c -> {
            if (bytes == null) {
                try (var ps = c.prepareStatement("DELETE FROM memory_targets WHERE instance_id = ?")) {
                    ps.setString(1, instanceId);
                    ps.executeUpdate();
                }
                return null;
            }
            try (var ps = c.prepareStatement("INSERT INTO memory_targets(instance_id, bytes, set_at) VALUES (?,?,?) "
                    + "ON CONFLICT(instance_id) DO UPDATE SET bytes = excluded.bytes, set_at = excluded.set_at")) {
                ps.setString(1, instanceId);
                ps.setLong(2, bytes);
                ps.setString(3, clock.instant().toString());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
