package dev.vessel.engine.project;

import dev.vessel.engine.store.Database;
import dev.vessel.host.Json;
import dev.vessel.model.ProjectFeatures;
import dev.vessel.model.ProjectLimits;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Projects in the embedded store: one row each, the limits and features as JSON (no features: stored before them). */
public final class SqliteProjectStore implements ProjectStore {
    private static final String COLUMNS = "name, description, limits, created_at, features";
    private final Database db;

    public SqliteProjectStore(Database db) {
        this.db = db;
    }

    @Override
    public List<ProjectRecord> list() {
        return db.read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT " + COLUMNS + " FROM projects ORDER BY name")) {
                var out = new ArrayList<ProjectRecord>();
                while (rs.next()) {
                    out.add(row(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<ProjectRecord> get(String name) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM projects WHERE name = ?")) {
                ps.setString(1, name);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void put(ProjectRecord p) {
        db.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO projects(" + COLUMNS + ") VALUES (?,?,?,?,?) "
                    + "ON CONFLICT(name) DO UPDATE SET description = excluded.description, limits = excluded.limits, "
                    + "features = excluded.features")) {
                ps.setString(1, p.name());
                ps.setString(2, p.description());
                ps.setString(3, Json.write(p.limits()));
                ps.setString(4, p.createdAt().toString());
                ps.setString(5, Json.write(p.features()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void delete(String name) {
        db.write(c -> {
            try (var ps = c.prepareStatement("DELETE FROM projects WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static ProjectRecord row(ResultSet rs) throws SQLException {
        return new ProjectRecord(
                rs.getString(1),
                rs.getString(2),
                Json.readStored(rs.getString(3), ProjectLimits.class),
                Instant.parse(rs.getString(4)),
                rs.getString(5) == null
                        ? ProjectFeatures.NONE
                        : Json.readStored(rs.getString(5), ProjectFeatures.class));
    }
}
