package dev.vessel.engine.storage;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A storage operation in progress, written before its first change to disk and removed after its last. What a record
 * holds is exactly what {@link StorageRecovery} needs to undo the operation (or, where undoing is impossible, finish
 * it) if the daemon dies in the middle.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = JournalEntry.SnapshotCreate.class, name = "snapshot-create"),
    @JsonSubTypes.Type(value = JournalEntry.SnapshotDelete.class, name = "snapshot-delete"),
    @JsonSubTypes.Type(value = JournalEntry.SnapshotRollback.class, name = "snapshot-rollback"),
    @JsonSubTypes.Type(value = JournalEntry.NewInstance.class, name = "new-instance"),
    @JsonSubTypes.Type(value = JournalEntry.TemplateMove.class, name = "template"),
    @JsonSubTypes.Type(value = JournalEntry.Backup.class, name = "backup"),
    @JsonSubTypes.Type(value = JournalEntry.Attach.class, name = "attach"),
    @JsonSubTypes.Type(value = JournalEntry.Detach.class, name = "detach"),
    @JsonSubTypes.Type(value = JournalEntry.LayerSnapshotCreate.class, name = "layer-snapshot-create"),
    @JsonSubTypes.Type(value = JournalEntry.LayerSnapshotDelete.class, name = "layer-snapshot-delete"),
    @JsonSubTypes.Type(value = JournalEntry.LayerSnapshotRollback.class, name = "layer-snapshot-rollback")
})
public sealed interface JournalEntry {
    /** Undone: the tag is removed from every disk that got it; a VM we paused is resumed. */
    record SnapshotCreate(String tag, List<String> disks, boolean resume) implements JournalEntry {}

    /** Finished: the tag is removed from the disks that still have it, then from the tree. */
    record SnapshotDelete(String tag, List<String> disks) implements JournalEntry {}

    /** Finished: every disk is reverted to the tag again (reverting twice is harmless). */
    record SnapshotRollback(String tag, List<String> disks) implements JournalEntry {}

    /** A clone or a restore: undone (its directory removed) unless the new instance was stored. */
    record NewInstance(String instanceId, String stateDir, String name) implements JournalEntry {}

    /** Disks moving into the shared templates directory: moved back unless the template was stored. */
    record TemplateMove(List<Move> moves) implements JournalEntry {
        public record Move(String from, String to) {}
    }

    /** Undone: QEMU's copy jobs cancelled and their targets closed, temporary files and the partial archive removed. */
    record Backup(String tempDir, String archivePartial, List<String> jobIds, List<String> targetNodes)
            implements JournalEntry {}

    /** Undone: the link removed (and the device unplugged if it got that far) unless the spec lists it. */
    record Attach(String volume, String link) implements JournalEntry {}

    /** Finished: the disk leaves the spec and the link goes. */
    record Detach(String volume, String link) implements JournalEntry {}

    /** Undone: the partial or uncommitted copy is removed; a container we froze is thawed. */
    record LayerSnapshotCreate(String tag, boolean thaw) implements JournalEntry {}

    /** Finished: the copy (renamed away first) is removed and the tree forgets the node. */
    record LayerSnapshotDelete(String tag) implements JournalEntry {}

    /** Undone while the old layer is still in place (the copy may be partial), finished once it was renamed away. */
    record LayerSnapshotRollback(String tag) implements JournalEntry {}
}
