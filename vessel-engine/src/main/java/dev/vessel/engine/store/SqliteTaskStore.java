package dev.vessel.engine.store;

import dev.vessel.core.store.TaskStore;
import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskLogLine;
import dev.vessel.host.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqliteTaskStore implements TaskStore {
    private final Database db;

    public SqliteTaskStore(Database db) {
        this.db = db;
    }

    @Override
    public void save(Task t) {
        db.write(c -> {
            try (var ps = c.prepareStatement(
                    "INSERT INTO tasks(id, operation, target, body, created_at, project) VALUES (?,?,?,?,?,?) "
                            + "ON CONFLICT(id) DO UPDATE SET body = excluded.body")) {
                ps.setString(1, t.id());
                ps.setString(2, t.operation());
                ps.setString(3, t.target());
                ps.setString(4, Json.write(t));
                ps.setString(5, t.createdAt().toString());
                ps.setString(6, t.project());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Task> byId(String id) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT body FROM tasks WHERE id = ?")) {
                ps.setString(1, id);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Json.readStored(rs.getString(1), Task.class)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Task> list(int limit, String project) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT body FROM tasks WHERE ? IS NULL OR project = ? "
                    + "ORDER BY created_at DESC, id DESC LIMIT ?")) {
                ps.setString(1, project);
                ps.setString(2, project);
                ps.setInt(3, limit);
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<Task>();
                    while (rs.next()) {
                        out.add(Json.readStored(rs.getString(1), Task.class));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public void appendLog(String taskId, TaskLogLine line) {
        db.write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO task_log(task_id, seq, at, line) VALUES (?,?,?,?)")) {
                ps.setString(1, taskId);
                ps.setLong(2, line.seq());
                ps.setString(3, line.at().toString());
                ps.setString(4, line.line());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<TaskLogLine> log(String taskId, long afterSeq) {
        return db.read(c -> {
            try (var ps = c.prepareStatement(
                    "SELECT seq, at, line FROM task_log WHERE task_id = ? AND seq > ? ORDER BY seq")) {
                ps.setString(1, taskId);
                ps.setLong(2, afterSeq);
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<TaskLogLine>();
                    while (rs.next()) {
                        out.add(new TaskLogLine(rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3)));
                    }
                    return out;
                }
            }
        });
    }

    /** Tasks left running by a previous daemon can never finish; they are marked failed at start-up. */
    public List<Task> unfinished() {
        var out = new ArrayList<Task>();
        for (Task t : list(10_000, null)) {
            if (!t.state().done()) {
                out.add(t);
            }
        }
        return out;
    }
}
