package dev.vessel.engine.instance;

import dev.vessel.engine.store.Database;
import java.time.Instant;
import java.util.Optional;

/** How many times the supervisor restarted each container, and when it last started it: kept in the store. */
public final class RestartCounts {
    /** A container's count and its last start by the supervisor (null before the first). */
    public record Entry(int count, Instant lastStart) {}

    private final Database db;

    public RestartCounts(Database db) {
        this.db = db;
    }

    public Optional<Entry> get(String instanceId) {
        return db.read(c -> {
            try (var ps =
                    c.prepareStatement("SELECT count, last_start FROM container_restarts WHERE instance_id = ?")) {
                ps.setString(1, instanceId);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String at = rs.getString(2);
                    return Optional.of(new Entry(rs.getInt(1), at == null ? null : Instant.parse(at)));
                }
            }
        });
    }

    public int count(String instanceId) {
        return get(instanceId).map(Entry::count).orElse(0);
    }

    public void put(String instanceId, int count, Instant lastStart) {
        db.write(c -> {
            try (var ps = c.prepareStatement(
                    "INSERT INTO container_restarts(instance_id, count, last_start) VALUES (?,?,?) "
                            + "ON CONFLICT(instance_id) DO UPDATE SET count = excluded.count, last_start = excluded.last_start")) {
                ps.setString(1, instanceId);
                ps.setInt(2, count);
                ps.setString(3, lastStart == null ? null : lastStart.toString());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
