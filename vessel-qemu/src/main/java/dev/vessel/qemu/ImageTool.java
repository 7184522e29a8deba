package dev.vessel.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import java.nio.file.Path;
import java.util.List;

/**
 * What Vessel does to disk image files that no QEMU has open: inspect, create, overlay, convert, resize, and internal
 * snapshots. {@link QemuImg} does it with qemu-img; the engine's tests use a fake from this module's test-jar.
 */
public interface ImageTool {
    /** One image of a backing chain, as {@code qemu-img info --backing-chain} reports it. */
    record Info(String filename, String format, long virtualSize, long actualSize, String backingFilename) {}

    /** The whole chain, top image first. */
    List<Info> chain(Path image);

    default Info info(Path image) {
        return chain(image).getFirst();
    }

    /**
     * Checks that an image's backing chain stays inside {@code allowedRoot}. A hostile qcow2 can name any host file as
     * its backing file, and QEMU would read it.
     */
    default void requireChainInside(Path image, Path allowedRoot) {
        var root = allowedRoot.toAbsolutePath().normalize();
        for (Info i : chain(image)) {
            if (i.backingFilename() == null) {
                continue;
            }
            Path b = Path.of(i.backingFilename());
            if (!b.isAbsolute()) {
                b = Path.of(i.filename()).toAbsolutePath().getParent().resolve(b);
            }
            if (!b.normalize().startsWith(root)) {
                throw VesselException.invalid(
                        "image", "'" + image + "' has a backing file outside " + root + ": " + i.backingFilename());
            }
        }
    }

    /** A copy-on-write overlay on {@code base}: creating a VM from an image costs no copy. */
    void createOverlay(Path base, String baseFormat, Path target);

    default void create(Path target, String format, long sizeBytes) {
        create(target, format, sizeBytes, "off");
    }

    /** Creates an empty image; {@code preallocation} is qemu-img's: off, metadata (qcow2), falloc or full. */
    void create(Path target, String format, long sizeBytes, String preallocation);

    /** Converts (or copies) an image; the target is written to a temp name and renamed, so a failure leaves nothing. */
    void convert(Path source, String sourceFormat, Path target, String targetFormat);

    /** Converts without renaming: the caller owns the target's temporary name and syncs it. */
    void convertTo(Path source, String sourceFormat, Path target, String targetFormat);

    /** The raw JSON of {@code qemu-img info} for one image (no backing chain), for callers that check more fields. */
    JsonNode infoJson(Path image, String format);

    /** Changes an image's virtual size in place (a header update for qcow2, a truncate for raw). */
    void resize(Path image, String format, long sizeBytes, boolean shrink);

    /** An internal snapshot of a qcow2 image that no QEMU has open: disk state only. */
    void snapshotCreate(Path image, String tag);

    /** Reverts a qcow2 image that no QEMU has open to an internal snapshot. */
    void snapshotApply(Path image, String tag);

    /** Deletes an internal snapshot of a qcow2 image that no QEMU has open. */
    void snapshotDelete(Path image, String tag);

    /** The tags of a qcow2 image's internal snapshots (safe while QEMU has it open). */
    List<String> snapshotTags(Path image);
}
