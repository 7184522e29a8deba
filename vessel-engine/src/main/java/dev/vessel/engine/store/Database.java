package dev.vessel.engine.store;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded SQLite database (WAL). One connection, used under a lock: SQLite has one writer anyway, and reads are
 * short. Schema changes are the numbered scripts in {@code db/}, applied in order and recorded in
 * {@code schema_version}.
 */
public final class Database implements AutoCloseable {
    /** The migrations, in order. Append only: never edit a released one. */
    static final String[] MIGRATIONS = {
        "V1__instances_tasks_images.sql",
        "V2__events.sql",
        "V3__storage.sql",
        "V4__networks.sql",
        "V5__observability.sql",
        "V6__container_restarts.sql",
        "V7__projects.sql",
        "V8__project_features.sql",
        "V9__task_projects.sql"
    };

    private final Connection conn;
    private final ReentrantLock lock = new ReentrantLock();

    public Database(Path file) {
        try {
            conn = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (var st = conn.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute("PRAGMA foreign_keys=ON");
                st.execute("PRAGMA busy_timeout=5000");
            }
            migrate();
        } catch (SQLException e) {
            throw new VesselException(
                    ProblemType.INTERNAL, "cannot open the store " + file + ": " + e.getMessage(), Map.of(), e);
        }
    }

    private void migrate() throws SQLException {
        try (var st = conn.createStatement()) {
            st.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        }
        int current;
        try (var st = conn.createStatement();
                var rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            current = rs.getInt(1);
        }
        if (current > MIGRATIONS.length) {
            throw new SQLException("the store has schema version " + current + " but this Vessel knows only "
                    + MIGRATIONS.length + "; it was written by a newer Vessel");
        }
        for (int v = current + 1; v <= MIGRATIONS.length; v++) {
            String name = MIGRATIONS[v - 1];
            conn.setAutoCommit(false);
            try (var st = conn.createStatement()) {
                for (String sql : script(name).split(";\\s*\n")) {
                    if (!sql.isBlank()) {
                        st.execute(sql);
                    }
                }
                try (var ps = conn.prepareStatement(
                        "INSERT INTO schema_version(version, name, applied_at) VALUES (?, ?, datetime('now'))")) {
                    ps.setInt(1, v);
                    ps.setString(2, name);
                    ps.executeUpdate();
                }
                conn.commit();
            } catch (SQLException e) {
                conn.rollback();
                throw new SQLException("migration " + name + " failed: " + e.getMessage(), e);
            } finally {
                conn.setAutoCommit(true);
            }
        }
    }

    public int schemaVersion() {
        return read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
                return rs.getInt(1);
            }
        });
    }

    private static String script(String name) {
        try (InputStream in = Database.class.getResourceAsStream("/db/" + name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Work with the connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public <T> T read(Work<T> work) {
        lock.lock();
        try {
            return work.run(conn);
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} in one transaction. */
    public <T> T write(Work<T> work) {
        lock.lock();
        try {
            conn.setAutoCommit(false);
            try {
                T result = work.run(conn);
                conn.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            lock.unlock();
        }
    }

    private static RuntimeException translate(SQLException e) {
        return new VesselException(ProblemType.INTERNAL, "store error: " + e.getMessage(), Map.of(), e);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            conn.close();
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            lock.unlock();
        }
    }
}
