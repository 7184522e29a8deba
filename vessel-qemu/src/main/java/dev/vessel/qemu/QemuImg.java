package dev.vessel.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The image operations Vessel needs, done by qemu-img, each with a clear error. */
public final class QemuImg implements ImageTool {
    public static final String BINARY = "/usr/bin/qemu-img";
    private static final Duration INFO_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COPY_TIMEOUT = Duration.ofHours(2);

    private final ProcessRunner proc;

    public QemuImg(ProcessRunner proc) {
        this.proc = proc;
    }

    /** The whole chain, top image first. */
    @Override
    public List<Info> chain(Path image) {
        var r = proc.exec(
                List.of(BINARY, "info", "--backing-chain", "--output", "json", "-U", image.toString()),
                INFO_TIMEOUT,
                null,
                null);
        if (!r.ok()) {
            throw VesselException.invalid(
                    "image",
                    "'" + image + "' is not a disk image qemu-img can read: "
                            + r.stderr().strip());
        }
        JsonNode root = Json.tree(r.stdout());
        var out = new ArrayList<Info>();
        for (JsonNode n : root.isArray() ? root : List.of(root)) {
            out.add(new Info(
                    n.path("filename").asText(),
                    n.path("format").asText(),
                    n.path("virtual-size").asLong(),
                    n.path("actual-size").asLong(),
                    n.hasNonNull("full-backing-filename")
                            ? n.path("full-backing-filename").asText()
                            : n.hasNonNull("backing-filename")
                                    ? n.path("backing-filename").asText()
                                    : null));
        }
        return out;
    }

    /** A copy-on-write overlay on {@code base}: creating a VM from an image costs no copy. */
    @Override
    public void createOverlay(Path base, String baseFormat, Path target) {
        proc.run(
                List.of(
                        BINARY,
                        "create",
                        "-q",
                        "-f",
                        "qcow2",
                        "-F",
                        baseFormat,
                        "-b",
                        base.toString(),
                        target.toString()),
                INFO_TIMEOUT);
    }

    /** Converts (or copies) an image; the target is written to a temp name and renamed, so a failure leaves nothing. */
    @Override
    public void convert(Path source, String sourceFormat, Path target, String targetFormat) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".partial");
        try {
            proc.run(
                    List.of(
                            BINARY,
                            "convert",
                            "-q",
                            "-f",
                            sourceFormat,
                            "-O",
                            targetFormat,
                            source.toString(),
                            tmp.toString()),
                    COPY_TIMEOUT);
            java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw VesselException.host("cannot move " + tmp + " into place: " + e.getMessage(), e);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(tmp);
            } catch (java.io.IOException ignored) {
                // best effort: a leftover .partial is removed by the next attempt
            }
        }
    }

    /** The raw JSON of {@code qemu-img info} for one image (no backing chain), for callers that check more fields. */
    @Override
    public JsonNode infoJson(Path image, String format) {
        var argv = new ArrayList<>(List.of(BINARY, "info", "--output", "json", "-U"));
        if (format != null) {
            argv.addAll(List.of("-f", format));
        }
        argv.add(image.toString());
        var r = proc.exec(argv, INFO_TIMEOUT, null, null);
        if (!r.ok()) {
            throw VesselException.invalid(
                    "image",
                    "'" + image + "' is not a disk image qemu-img can read: "
                            + r.stderr().strip());
        }
        return Json.tree(r.stdout());
    }

    /** Creates an empty image; {@code preallocation} is qemu-img's: off, metadata (qcow2), falloc or full. */
    @Override
    public void create(Path target, String format, long sizeBytes, String preallocation) {
        proc.run(
                List.of(
                        BINARY,
                        "create",
                        "-q",
                        "-f",
                        format,
                        "-o",
                        "preallocation=" + preallocation,
                        target.toString(),
                        Long.toString(sizeBytes)),
                COPY_TIMEOUT);
    }

    /** Changes an image's virtual size in place (a header update for qcow2, a truncate for raw). */
    @Override
    public void resize(Path image, String format, long sizeBytes, boolean shrink) {
        var argv = new ArrayList<>(List.of(BINARY, "resize", "-q", "-f", format));
        if (shrink) {
            argv.add("--shrink");
        }
        argv.addAll(List.of(image.toString(), Long.toString(sizeBytes)));
        proc.run(argv, INFO_TIMEOUT);
    }

    /** Converts without renaming: the caller owns the target's temporary name and syncs it. */
    @Override
    public void convertTo(Path source, String sourceFormat, Path target, String targetFormat) {
        proc.run(
                List.of(
                        BINARY,
                        "convert",
                        "-q",
                        "-f",
                        sourceFormat,
                        "-O",
                        targetFormat,
                        source.toString(),
                        target.toString()),
                COPY_TIMEOUT);
    }

    /** An internal snapshot of a qcow2 image that no QEMU has open: disk state only. */
    @Override
    public void snapshotCreate(Path image, String tag) {
        proc.run(List.of(BINARY, "snapshot", "-q", "-c", tag, image.toString()), INFO_TIMEOUT);
    }

    /** Reverts a qcow2 image that no QEMU has open to an internal snapshot. */
    @Override
    public void snapshotApply(Path image, String tag) {
        proc.run(List.of(BINARY, "snapshot", "-q", "-a", tag, image.toString()), COPY_TIMEOUT);
    }

    /** Deletes an internal snapshot of a qcow2 image that no QEMU has open. */
    @Override
    public void snapshotDelete(Path image, String tag) {
        proc.run(List.of(BINARY, "snapshot", "-q", "-d", tag, image.toString()), COPY_TIMEOUT);
    }

    /** The tags of a qcow2 image's internal snapshots ({@code -U}: safe while QEMU has it open). */
    @Override
    public List<String> snapshotTags(Path image) {
        var out = new ArrayList<String>();
        for (JsonNode s : infoJson(image, "qcow2").path("snapshots")) {
            out.add(s.path("name").asText());
        }
        return out;
    }
}
