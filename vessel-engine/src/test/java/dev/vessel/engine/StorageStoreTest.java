package dev.vessel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.GuestMac;
import dev.vessel.core.model.VmSpec;
import dev.vessel.engine.storage.Journal;
import dev.vessel.engine.storage.JournalEntry;
import dev.vessel.engine.storage.SnapshotStore;
import dev.vessel.engine.store.Database;
import dev.vessel.engine.store.SqliteInstanceStore;
import dev.vessel.host.Json;
import dev.vessel.model.Snapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot tree and the storage journal as SQLite keeps them. */
class StorageStoreTest {
    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    static Snapshot snap(String name, String parent, int second) {
        return new Snapshot(name, parent, null, false, true, 3.5, List.of("/d/root.qcow2"), T.plusSeconds(second));
    }

    static Map<String, String> parents(SnapshotStore s, String id) {
        var out = new HashMap<String, String>();
        s.list(id).forEach(x -> out.put(x.name(), x.parent()));
        return out;
    }

    @Test
    void theTreeKeepsParentsAndTheCurrentNodeThroughRemovals() {
        try (var db = new Database(dir.resolve("v.db"))) {
            new SqliteInstanceStore(db).insert(StoreTest.vm("a1", "web"));
            var s = new SnapshotStore(db);
            s.add("a1", snap("a", null, 1));
            s.add("a1", snap("b", "a", 2));
            s.add("a1", snap("c", "b", 3));
            assertThat(s.current("a1")).contains("c");
            assertThatThrownBy(() -> s.add("a1", snap("b", "c", 4)))
                    .isInstanceOfSatisfying(
                            VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.ALREADY_EXISTS));
            s.setCurrent("a1", "a");
            s.add("a1", snap("d", "a", 5));
            s.remove("a1", "b");
            assertThat(parents(s, "a1"))
                    .containsEntry("c", "a")
                    .containsEntry("d", "a")
                    .containsEntry("a", null)
                    .hasSize(3);
            s.remove("a1", "d");
            assertThat(s.current("a1"))
                    .as("the current node's parent takes over")
                    .contains("a");
            s.remove("a1", "a");
            assertThat(parents(s, "a1")).containsEntry("c", null).hasSize(1);
            assertThat(s.current("a1")).isEmpty();
            // Removing the VM removes its tree.
            new SqliteInstanceStore(db).delete("a1");
            assertThat(s.list("a1")).isEmpty();
        }
    }

    @Test
    void journalEntriesRoundTripAndAreListedInOrder() {
        try (var db = new Database(dir.resolve("v.db"))) {
            var j = new Journal(db, Clock.systemUTC());
            String a = j.begin("i1", new JournalEntry.SnapshotCreate("s1", List.of("/d/a.qcow2"), true));
            String b = j.begin("i2", new JournalEntry.Backup("/t", "/a.partial", List.of(), List.of()));
            j.update(b, new JournalEntry.Backup("/t", "/a.partial", List.of("backup-1"), List.of("bk1")));
            var open = j.open();
            assertThat(open).extracting(Journal.Open::id).containsExactly(a, b);
            assertThat(open.get(0).entry())
                    .isEqualTo(new JournalEntry.SnapshotCreate("s1", List.of("/d/a.qcow2"), true));
            assertThat(open.get(1).entry())
                    .isEqualTo(new JournalEntry.Backup("/t", "/a.partial", List.of("backup-1"), List.of("bk1")));
            j.end(a);
            assertThat(j.open()).hasSize(1);
        }
    }

    @Test
    void aStoredSpecWithoutMacOrTemplateStillReads() {
        String old =
                "{\"kind\":\"vm\",\"memoryBytes\":268435456,\"cpus\":1,\"accel\":\"auto\",\"stopTimeoutSeconds\":60,\"image\":\"tiny\","
                        + "\"boot\":{\"kernel\":\"/k\",\"initrd\":null,\"cmdline\":null,\"disks\":[]},\"readyMarker\":null}";
        var spec = (VmSpec) Json.readStored(old, dev.vessel.core.model.InstanceSpec.class);
        assertThat(spec.mac()).isNull();
        assertThat(spec.template()).isFalse();
        assertThat(GuestMac.forInstance("0123456789ab"))
                .matches("0a:56:65(:[0-9a-f]{2}){3}")
                .isNotEqualTo(GuestMac.forInstance("0123456789ac"));
    }
}
