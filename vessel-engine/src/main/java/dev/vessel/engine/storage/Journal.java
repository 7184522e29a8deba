package dev.vessel.engine.storage;

import dev.vessel.engine.store.Database;
import dev.vessel.host.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The storage journal in SQLite: one row per operation in progress (see {@link JournalEntry}). */
public final class Journal {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final Clock clock;

    public Journal(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** An open journal row. */
    public record Open(String id, String instanceId, JournalEntry entry) {}

    public String begin(String instanceId, JournalEntry entry) {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        db.write(c -> {
            try (var ps = c.prepareStatement(
                    "INSERT INTO storage_journal(id, operation, instance_id, body, created_at) VALUES (?,?,?,?,?)")) {
                ps.setString(1, id);
                ps.setString(2, entry.getClass().getSimpleName());
                ps.setString(3, instanceId);
                ps.setString(4, Json.write(entry));
                ps.setString(5, clock.instant().toString());
                ps.executeUpdate();
            }
            return null;
        });
        return id;
    }

    /** Records more of what an operation made (e.g. the QEMU jobs it started), before it makes it. */
    public void update(String id, JournalEntry entry) {
        db.write(c -> {
            try (var ps = c.prepareStatement("UPDATE storage_journal SET body = ? WHERE id = ?")) {
                ps.setString(1, Json.write(entry));
                ps.setString(2, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public void end(String id) {
        db.write(c -> {
            try (var ps = c.prepareStatement("DELETE FROM storage_journal WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public List<Open> open() {
        return db.read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT id, instance_id, body FROM storage_journal ORDER BY created_at")) {
                var out = new ArrayList<Open>();
                while (rs.next()) {
                    out.add(new Open(
                            rs.getString(1), rs.getString(2), Json.readStored(rs.getString(3), JournalEntry.class)));
                }
                return out;
            }
        });
    }
}
