package dev.vessel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.AccelMode;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RuntimeInfo;
import dev.vessel.core.model.StopReason;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskLogLine;
import dev.vessel.core.task.TaskState;
import dev.vessel.engine.store.Database;
import dev.vessel.engine.store.SqliteInstanceStore;
import dev.vessel.engine.store.SqliteTaskStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    static Instance vm(String id, String name) {
        var spec = new VmSpec(
                256L << 20,
                1,
                AccelMode.AUTO,
                60,
                "tiny",
                new Boot("/k", "/i", "console=ttyS0", List.of()),
                "VESSEL-READY");
        return new Instance(id, name, InstanceKind.VM, spec, new InstanceState.Created(T), null, T);
    }

    @Test
    void instancesSurviveReopeningTheStore() {
        try (var db = new Database(dir.resolve("v.db"))) {
            var store = new SqliteInstanceStore(db);
            store.insert(vm("a1", "web"));
            var running = vm("a1", "web")
                    .withState(new InstanceState.Running(T))
                    .withRuntime(new RuntimeInfo("vessel-a1", 42, "tcg", "probe", List.of("qemu", "-S"), 1 << 30, T));
            store.update(running);
        }
        try (var db = new Database(dir.resolve("v.db"))) {
            var got = new SqliteInstanceStore(db).byName("web").orElseThrow();
            assertThat(got.state()).isEqualTo(new InstanceState.Running(T));
            assertThat(got.runtime().command()).containsExactly("qemu", "-S");
            assertThat(got.spec()).isEqualTo(vm("a1", "web").spec());
            assertThat(db.schemaVersion()).isEqualTo(9);
        }
    }

    @Test
    void aNameIsTakenOnceAcrossKinds() {
        try (var db = new Database(dir.resolve("v.db"))) {
            var store = new SqliteInstanceStore(db);
            store.insert(vm("a1", "web"));
            assertThatThrownBy(() -> store.insert(vm("b2", "web")))
                    .isInstanceOfSatisfying(
                            VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.ALREADY_EXISTS))
                    .hasMessage("vm 'web' already exists");
            assertThat(store.list()).hasSize(1);
        }
    }

    @Test
    void stoppedStatesKeepTheirReason() {
        try (var db = new Database(dir.resolve("v.db"))) {
            var store = new SqliteInstanceStore(db);
            store.insert(vm("a1", "web")
                    .withState(new InstanceState.Stopped(T, StopReason.GUEST_SHUTDOWN, "powered off", null)));
            assertThat(store.byId("a1").orElseThrow().state())
                    .isEqualTo(new InstanceState.Stopped(T, StopReason.GUEST_SHUTDOWN, "powered off", null));
        }
    }

    @Test
    void tasksAndTheirLogsAreKept() {
        try (var db = new Database(dir.resolve("v.db"))) {
            var tasks = new SqliteTaskStore(db);
            var t = new Task("t1", "start", "web", TaskState.RUNNING, 0.5, "booting", T, T, null, null, "alice", null);
            tasks.save(t);
            tasks.appendLog("t1", new TaskLogLine(1, T, "one"));
            tasks.appendLog("t1", new TaskLogLine(2, T, "two"));
            tasks.save(t.ended(TaskState.SUCCEEDED, T, null));
            assertThat(tasks.byId("t1").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(tasks.log("t1", 1)).extracting(TaskLogLine::line).containsExactly("two");
            assertThat(tasks.unfinished()).isEmpty();
        }
    }

    @Test
    void tasksAreListedByProjectAndOldOnesReadAsDefault() {
        try (var db = new Database(dir.resolve("v.db"))) {
            var tasks = new SqliteTaskStore(db);
            tasks.save(new Task("a", "start", "web", TaskState.QUEUED, 0, null, T, null, null, null, "u", null));
            tasks.save(new Task(
                    "b",
                    "start",
                    "web.dev",
                    TaskState.QUEUED,
                    0,
                    null,
                    T.plusSeconds(1),
                    null,
                    null,
                    null,
                    "u",
                    "dev"));
            assertThat(tasks.list(10, "dev")).extracting(Task::id).containsExactly("b");
            assertThat(tasks.list(10, "default")).extracting(Task::id).containsExactly("a");
            assertThat(tasks.list(10, null)).extracting(Task::id).containsExactly("b", "a");
            // a body stored before tasks had a project has none: it reads as the default project's
            assertThat(dev.vessel.host.Json.readStored(
                                    "{\"id\":\"o\",\"operation\":\"start\",\"target\":\"web\",\"state\":\"succeeded\","
                                            + "\"progress\":1,\"createdAt\":\"2026-01-01T00:00:00Z\"}",
                                    Task.class)
                            .project())
                    .isEqualTo("default");
        }
    }
}
