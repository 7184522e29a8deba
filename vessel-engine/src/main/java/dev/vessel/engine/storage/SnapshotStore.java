package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.engine.store.Database;
import dev.vessel.host.Json;
import dev.vessel.model.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The snapshot trees, one per VM, and each VM's current node (the snapshot its disks descend from, which becomes the
 * parent of the next one). Removing the VM removes its rows (foreign key cascade).
 */
public final class SnapshotStore {
    private final Database db;

    public SnapshotStore(Database db) {
        this.db = db;
    }

    public List<Snapshot> list(String instanceId) {
        return db.read(c -> {
            try (var ps =
                    c.prepareStatement("SELECT body FROM snapshots WHERE instance_id = ? ORDER BY created_at, name")) {
                ps.setString(1, instanceId);
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<Snapshot>();
                    while (rs.next()) {
                        out.add(Json.readStored(rs.getString(1), Snapshot.class));
                    }
                    return out;
                }
            }
        });
    }

    public Optional<Snapshot> get(String instanceId, String name) {
        return list(instanceId).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<String> current(String instanceId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT current FROM snapshot_heads WHERE instance_id = ?")) {
                ps.setString(1, instanceId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Adds a snapshot and makes it the current node, in one transaction. */
    public void add(String instanceId, Snapshot s) {
        db.write(c -> {
            try (var ps = c.prepareStatement(
                    "INSERT INTO snapshots(instance_id, name, parent, body, created_at) VALUES (?,?,?,?,?)")) {
                ps.setString(1, instanceId);
                ps.setString(2, s.name());
                ps.setString(3, s.parent());
                ps.setString(4, Json.write(s));
                ps.setString(5, s.createdAt().toString());
                ps.executeUpdate();
            } catch (java.sql.SQLException e) {
                if (e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
                    throw VesselException.exists("snapshot", s.name());
                }
                throw e;
            }
            setCurrent(c, instanceId, s.name());
            return null;
        });
    }

    public void setCurrent(String instanceId, String name) {
        db.write(c -> {
            setCurrent(c, instanceId, name);
            return null;
        });
    }

    private static void setCurrent(java.sql.Connection c, String instanceId, String name) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("INSERT INTO snapshot_heads(instance_id, current) VALUES (?, ?) "
                + "ON CONFLICT(instance_id) DO UPDATE SET current = excluded.current")) {
            ps.setString(1, instanceId);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    /**
     * Removes a node: its children take its parent, and if it was the current node its parent becomes current. The
     * disks already merged it (deleting an internal snapshot only drops its references to clusters).
     */
    public void remove(String instanceId, String name) {
        db.write(c -> {
            Snapshot gone = null;
            for (Snapshot s : list(instanceId)) {
                if (s.name().equals(name)) {
                    gone = s;
                }
            }
            if (gone == null) {
                return null;
            }
            for (Snapshot s : list(instanceId)) {
                if (name.equals(s.parent())) {
                    Snapshot moved = s.withParent(gone.parent());
                    try (var ps = c.prepareStatement(
                            "UPDATE snapshots SET parent = ?, body = ? WHERE instance_id = ? AND name = ?")) {
                        ps.setString(1, moved.parent());
                        ps.setString(2, Json.write(moved));
                        ps.setString(3, instanceId);
                        ps.setString(4, s.name());
                        ps.executeUpdate();
                    }
                }
            }
            try (var ps = c.prepareStatement("DELETE FROM snapshots WHERE instance_id = ? AND name = ?")) {
                ps.setString(1, instanceId);
                ps.setString(2, name);
                ps.executeUpdate();
            }
            try (var ps =
                    c.prepareStatement("UPDATE snapshot_heads SET current = ? WHERE instance_id = ? AND current = ?")) {
                ps.setString(1, gone.parent());
                ps.setString(2, instanceId);
                ps.setString(3, name);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
