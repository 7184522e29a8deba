package dev.vessel.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.Instance;
import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskState;
import dev.vessel.engine.testing.EngineHarness;
import dev.vessel.model.SnapshotRequest;
import dev.vessel.qemu.FakeImageTool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots of a stopped VM's disks and the storage journal: every step is journaled first, a failure undoes itself
 * at once, and a crash at any step is settled by the next daemon start, so that the disks and the snapshot tree agree.
 */
class SnapshotJournalTest {
    @TempDir
    Path dir;

    EngineHarness h;
    Instance vm;
    List<Path> disks;

    @BeforeEach
    void start() {
        h = EngineHarness.start(dir);
        vm = h.createVm("db", "root v1", "data v1");
        disks = h.disks(vm);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private Task snapshot(String name) {
        return h.storage.snapshots().create("db", new SnapshotRequest(name, false, null));
    }

    private List<String> openJournal() {
        return new dev.vessel.engine.storage.Journal(h.db, java.time.Clock.systemUTC())
                .open().stream().map(o -> o.entry().getClass().getSimpleName()).toList();
    }

    @Test
    void snapshotRollbackAndRemoveOfAStoppedVmWorkOnEveryDisk() {
        h.succeed(snapshot("before"));
        assertThat(disks).allSatisfy(d -> assertThat(FakeImageTool.snapshots(d)).containsKey("before"));
        FakeImageTool.setData(disks.get(0), "root v2");
        FakeImageTool.setData(disks.get(1), "data v2");
        h.succeed(snapshot("after"));
        assertThat(h.storage.snapshots().list("db").current()).isEqualTo("after");

        h.succeed(h.storage.snapshots().rollback("db", "before"));
        assertThat(FakeImageTool.data(disks.get(0))).isEqualTo("root v1");
        assertThat(FakeImageTool.data(disks.get(1))).isEqualTo("data v1");
        assertThat(h.storage.snapshots().list("db").current()).isEqualTo("before");

        h.succeed(h.storage.snapshots().delete("db", "before"));
        assertThat(disks).allSatisfy(d -> assertThat(FakeImageTool.snapshots(d)).containsOnlyKeys("after"));
        assertThat(h.storage.snapshots().list("db").snapshots())
                .extracting(s -> s.name())
                .containsExactly("after");
        assertThat(openJournal()).isEmpty();
    }

    @Test
    void aSnapshotThatFailsOnTheSecondDiskIsUndoneOnTheFirstAtOnce() {
        h.machine.images().failAt("snapshotCreate", disks.get(1));
        var end = h.await(snapshot("s1"));
        assertThat(end.state()).isEqualTo(TaskState.FAILED);
        assertThat(end.error().detail()).contains("injected");
        assertThat(FakeImageTool.snapshots(disks.get(0))).as("undone").isEmpty();
        assertThat(h.storage.snapshots().list("db").snapshots()).isEmpty();
        assertThat(openJournal()).isEmpty();
        h.succeed(snapshot("s1"));
    }

    @Test
    void aCrashInTheMiddleOfASnapshotIsUndoneByTheNextStart() throws Exception {
        h.machine.images().crashAt("snapshotCreate", disks.get(1), false);
        snapshot("s1");
        awaitJournal(
                "SnapshotCreate", () -> FakeImageTool.snapshots(disks.get(0)).containsKey("s1"));

        h = h.restart();

        assertThat(FakeImageTool.snapshots(disks.get(0)))
                .as("the half-made tag is gone")
                .isEmpty();
        assertThat(FakeImageTool.snapshots(disks.get(1))).isEmpty();
        assertThat(h.storage.snapshots().list("db").snapshots()).isEmpty();
        assertThat(openJournal()).isEmpty();
        assertThat(h.seen).anySatisfy(e -> assertThat(e.type()).isEqualTo("storage-recovered"));
        h.succeed(snapshot("s1"));
    }

    @Test
    void aCrashInTheMiddleOfARollbackIsFinishedByTheNextStart() throws Exception {
        h.succeed(snapshot("good"));
        FakeImageTool.setData(disks.get(0), "root broken");
        FakeImageTool.setData(disks.get(1), "data broken");
        h.machine.images().crashAt("snapshotApply", disks.get(1), false);
        h.storage.snapshots().rollback("db", "good");
        awaitJournal("SnapshotRollback", () -> FakeImageTool.data(disks.get(0)).equals("root v1"));
        assertThat(FakeImageTool.data(disks.get(1))).as("the crash came first").isEqualTo("data broken");

        h = h.restart();

        assertThat(FakeImageTool.data(disks.get(0))).isEqualTo("root v1");
        assertThat(FakeImageTool.data(disks.get(1))).isEqualTo("data v1");
        assertThat(h.storage.snapshots().list("db").current()).isEqualTo("good");
        assertThat(openJournal()).isEmpty();
    }

    @Test
    void aCrashInTheMiddleOfARemovalIsFinishedByTheNextStart() throws Exception {
        h.succeed(snapshot("old"));
        h.machine.images().crashAt("snapshotDelete", disks.get(1), false);
        h.storage.snapshots().delete("db", "old");
        awaitJournal(
                "SnapshotDelete", () -> !FakeImageTool.snapshots(disks.get(0)).containsKey("old"));
        assertThat(FakeImageTool.snapshots(disks.get(1))).containsKey("old");

        h = h.restart();

        assertThat(disks).allSatisfy(d -> assertThat(FakeImageTool.snapshots(d)).isEmpty());
        assertThat(h.storage.snapshots().list("db").snapshots()).isEmpty();
        assertThat(openJournal()).isEmpty();
    }

    @Test
    void aSnapshotOfATemplateOrWithRamOfAStoppedVmIsRefusedWithNothingMade() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> h.storage.snapshots().create("db", new SnapshotRequest("r", true, null)))
                .hasMessageContaining("needs a running VM");
        assertThat(disks).allSatisfy(d -> assertThat(FakeImageTool.snapshots(d)).isEmpty());
        assertThat(openJournal()).isEmpty();
    }

    private void awaitJournal(String entry, java.util.function.BooleanSupplier diskState) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            if (openJournal().contains(entry) && diskState.getAsBoolean()) {
                Thread.sleep(50); // the crashed task thread is gone; nothing more happens
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(
                "no open " + entry + " journal entry with the disks as expected; journal " + openJournal());
    }
}
