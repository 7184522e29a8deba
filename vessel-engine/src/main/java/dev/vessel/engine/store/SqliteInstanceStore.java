package dev.vessel.engine.store;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceSpec;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RuntimeInfo;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.host.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqliteInstanceStore implements InstanceStore {
    private static final String COLUMNS = "id, name, kind, spec, state, runtime, created_at";
    private final Database db;

    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public long generation() {
        return generation.get();
    }

    public SqliteInstanceStore(Database db) {
        this.db = db;
    }

    @Override
    public void insert(Instance i) {
        generation.incrementAndGet(); // before and after: a reader never caches a list older than the change
        try {
            db.write(c -> {
                try (var check = c.prepareStatement("SELECT kind FROM instances WHERE name = ?")) {
                    check.setString(1, i.name());
                    try (var rs = check.executeQuery()) {
                        if (rs.next()) {
                            throw VesselException.exists(rs.getString(1), i.name());
                        }
                    }
                }
                try (var ps = c.prepareStatement(
                        "INSERT INTO instances(" + COLUMNS + ", updated_at) VALUES (?,?,?,?,?,?,?,?)")) {
                    ps.setString(1, i.id());
                    ps.setString(2, i.name());
                    ps.setString(3, i.kind().label());
                    ps.setString(4, Json.write(i.spec()));
                    ps.setString(5, Json.write(i.state()));
                    ps.setString(6, i.runtime() == null ? null : Json.write(i.runtime()));
                    ps.setString(7, i.createdAt().toString());
                    ps.setString(8, Instant.now().toString());
                    ps.executeUpdate();
                }
                return null;
            });
        } finally {
            generation.incrementAndGet();
        }
    }

    @Override
    public void update(Instance i) {
        generation.incrementAndGet(); // before and after: a reader never caches a list older than the change
        try {
            db.write(c -> {
                try (var ps = c.prepareStatement(
                        "UPDATE instances SET spec = ?, state = ?, runtime = ?, updated_at = ? WHERE id = ?")) {
                    ps.setString(1, Json.write(i.spec()));
                    ps.setString(2, Json.write(i.state()));
                    ps.setString(3, i.runtime() == null ? null : Json.write(i.runtime()));
                    ps.setString(4, Instant.now().toString());
                    ps.setString(5, i.id());
                    if (ps.executeUpdate() != 1) {
                        throw VesselException.notFound("instance", i.name());
                    }
                }
                return null;
            });
        } finally {
            generation.incrementAndGet();
        }
    }

    @Override
    public Optional<Instance> byName(String name) {
        return one("name", name);
    }

    @Override
    public Optional<Instance> byId(String id) {
        return one("id", id);
    }

    private Optional<Instance> one(String column, String value) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM instances WHERE " + column + " = ?")) {
                ps.setString(1, value);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Instance> list() {
        return db.read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT " + COLUMNS + " FROM instances ORDER BY name")) {
                var out = new ArrayList<Instance>();
                while (rs.next()) {
                    out.add(row(rs));
                }
                return out;
            }
        });
    }

    @Override
    public void delete(String id) {
        generation.incrementAndGet(); // before and after: a reader never caches a list older than the change
        try {
            db.write(c -> {
                try (var ps = c.prepareStatement("DELETE FROM instances WHERE id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
                return null;
            });
        } finally {
            generation.incrementAndGet();
        }
    }

    private static Instance row(ResultSet rs) throws SQLException {
        String runtime = rs.getString(6);
        return new Instance(
                rs.getString(1),
                rs.getString(2),
                InstanceKind.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)),
                Json.readStored(rs.getString(4), InstanceSpec.class),
                Json.readStored(rs.getString(5), InstanceState.class),
                runtime == null ? null : Json.readStored(runtime, RuntimeInfo.class),
                Instant.parse(rs.getString(7)));
    }
}
