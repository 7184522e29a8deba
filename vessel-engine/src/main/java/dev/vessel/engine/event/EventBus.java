package dev.vessel.engine.event;

import dev.vessel.engine.store.Database;
import dev.vessel.host.Json;
import dev.vessel.model.Event;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Lifecycle, task, network and storage events. Each is stored with a sequence number, so a client that reconnects can
 * resume from the last one it saw, and is handed to live subscribers. The stored window is bounded.
 */
public final class EventBus implements dev.vessel.engine.service.Events {
    public static final int KEEP = 10_000;

    private final Database db;
    private final Clock clock;
    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private long published;

    public EventBus(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Event publish(String type, String kind, String name, Map<String, Object> data) {
        Instant at = clock.instant();
        long seq = db.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO events(at, type, kind, name, body) VALUES (?,?,?,?,?)")) {
                ps.setString(1, at.toString());
                ps.setString(2, type);
                ps.setString(3, kind);
                ps.setString(4, name);
                ps.setString(5, Json.write(data));
                ps.executeUpdate();
            }
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT last_insert_rowid()")) {
                return rs.getLong(1);
            }
        });
        if (++published % 1000 == 0) {
            trim();
        }
        var e = new Event(seq, at, type, kind, name, data);
        for (var s : subscribers) {
            s.accept(e);
        }
        return e;
    }

    private void trim() {
        db.write(c -> {
            try (var st = c.createStatement()) {
                st.execute("DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - " + KEEP);
            }
            return null;
        });
    }

    @SuppressWarnings("unchecked")
    public List<Event> since(long seq, int limit) {
        return db.read(c -> {
            try (var ps = c.prepareStatement(
                    "SELECT seq, at, type, kind, name, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, seq);
                ps.setInt(2, limit);
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<Event>();
                    while (rs.next()) {
                        out.add(new Event(
                                rs.getLong(1),
                                Instant.parse(rs.getString(2)),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                Json.readStored(rs.getString(6), Map.class)));
                    }
                    return out;
                }
            }
        });
    }

    public Runnable subscribe(Consumer<Event> s) {
        subscribers.add(s);
        return () -> subscribers.remove(s);
    }
}
