package dev.vessel.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.qemu.ImageTool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether an image file may be imported, before anything reads its data. A disk image can name other files:
 * a qcow2 its backing file and an external data file, a vmdk descriptor its extents, and a backing name can be a
 * {@code json:} or protocol pseudo-file. QEMU would open any of them, so a hostile image could make the daemon (root)
 * copy {@code /etc/shadow} into a volume. Only images whose every referenced file stays inside {@code allowedRoot}
 * pass, and only the formats Vessel knows; the format is then always given to qemu-img explicitly, never probed again.
 */
public final class ImageInspector {
    /** "json:", "nbd:", "http:" ...: names QEMU resolves as something other than a local file. */
    private static final Pattern PROTOCOL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

    private static final int MAX_CHAIN = 16;

    private final ImageTool qemuImg;

    public ImageInspector(ImageTool qemuImg) {
        this.qemuImg = qemuImg;
    }

    /** What the inspection found: the file's format (iso for a raw file with an ISO 9660 signature) and sizes. */
    public record Inspected(Path file, SourceFormat format, long virtualSize, long actualSize, boolean hasBacking) {}

    /**
     * @param declared the format the user says the file has, or null to take the detected one
     * @param allowedRoot backing files must lie under it (the pool); null allows no backing file at all
     */
    public Inspected inspect(Path file, String declared, Path allowedRoot) {
        JsonNode top = qemuImg.infoJson(file, null);
        String detected = top.path("format").asText();
        SourceFormat format = switch (detected) {
            case "qcow2" -> SourceFormat.qcow2;
            case "raw" -> isIso(file) ? SourceFormat.iso : SourceFormat.raw;
            case "vmdk" -> SourceFormat.vmdk;
            case "vhdx" -> SourceFormat.vhdx;
            case "vdi" -> SourceFormat.vdi;
            default ->
                throw VesselException.invalid(
                        "format",
                        "'" + file + "' is " + detected
                                + ", which Vessel does not import (qcow2, raw, vmdk, vhdx, vdi, iso)");
        };
        if (declared != null) {
            SourceFormat want = SourceFormat.parse("format", declared);
            boolean rawAsIso = want == SourceFormat.raw && format == SourceFormat.iso;
            if (want != format && !rawAsIso) {
                throw VesselException.invalid("format", "'" + file + "' is " + format + ", not " + want);
            }
            format = want;
        }
        long virtual = top.path("virtual-size").asLong(-1);
        if (virtual <= 0 || virtual > VolumeSizes.MAX) {
            throw VesselException.invalid(
                    "image",
                    "'" + file + "' has a virtual size of " + virtual + " bytes, outside 1.." + VolumeSizes.MAX);
        }
        boolean backing = checkReferences(file, top, allowedRoot);
        return new Inspected(file, format, virtual, top.path("actual-size").asLong(), backing);
    }

    /** Walks the backing chain one image at a time, checking every file each one names. True if there is a backing file. */
    private boolean checkReferences(Path file, JsonNode info, Path allowedRoot) {
        Path root = allowedRoot == null ? null : allowedRoot.toAbsolutePath().normalize();
        Set<Path> seen = new HashSet<>();
        Path current = file.toAbsolutePath().normalize();
        JsonNode node = info;
        boolean any = false;
        for (int depth = 0; ; depth++) {
            if (!seen.add(current)) {
                throw VesselException.invalid(
                        "image", "'" + file + "' has a backing chain that loops through " + current);
            }
            checkOwnFiles(file, current, node);
            String backing = node.hasNonNull("backing-filename")
                    ? node.path("backing-filename").asText()
                    : null;
            if (backing == null) {
                return any;
            }
            any = true;
            if (depth >= MAX_CHAIN) {
                throw VesselException.invalid("image", "'" + file + "' has a backing chain longer than " + MAX_CHAIN);
            }
            Path next = resolveBacking(file, current, backing, root);
            String backingFormat = node.path("backing-filename-format").asText(null);
            if (backingFormat != null && !backingFormat.equals("qcow2") && !backingFormat.equals("raw")) {
                throw VesselException.invalid(
                        "image",
                        "'" + file + "' has a backing file of format " + backingFormat + "; only qcow2 or raw");
            }
            node = qemuImg.infoJson(next, backingFormat);
            current = next;
        }
    }

    private static Path resolveBacking(Path file, Path current, String backing, Path root) {
        if (PROTOCOL.matcher(backing).matches()) {
            throw VesselException.invalid(
                    "image",
                    "'" + file + "' names a backing file through a protocol or json: (" + abbreviate(backing)
                            + "); only plain files are allowed");
        }
        if (root == null) {
            throw VesselException.invalid(
                    "image",
                    "'" + file + "' has a backing file (" + abbreviate(backing) + "); import a standalone image");
        }
        Path b = Path.of(backing);
        Path resolved = (b.isAbsolute() ? b : current.getParent().resolve(b)).normalize();
        if (!resolved.startsWith(root)) {
            throw VesselException.invalid(
                    "image", "'" + file + "' has a backing file outside " + root + ": " + abbreviate(backing));
        }
        return resolved;
    }

    /** Files an image names besides its backing file: qcow2's external data file, vmdk's extents. */
    private static void checkOwnFiles(Path file, Path current, JsonNode info) {
        JsonNode specific = info.path("format-specific").path("data");
        if (specific.hasNonNull("data-file") || specific.hasNonNull("data-file-raw")) {
            throw VesselException.invalid(
                    "image",
                    "'" + file + "' uses an external data file ("
                            + abbreviate(specific.path("data-file").asText(""))
                            + "); Vessel imports only self-contained images");
        }
        if ("vmdk".equals(info.path("format").asText())) {
            for (JsonNode extent : specific.path("extents")) {
                String name = extent.path("filename").asText("");
                if (!Path.of(name).toAbsolutePath().normalize().equals(current)) {
                    throw VesselException.invalid(
                            "image",
                            "'" + file + "' is a vmdk whose extent lives in another file (" + abbreviate(name)
                                    + "); import a monolithic vmdk");
                }
            }
        }
    }

    /** An ISO 9660 image has "CD001" at byte 0x8001. */
    public static boolean isIso(Path file) {
        try (var f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < 0x8006) {
                return false;
            }
            f.seek(0x8001);
            byte[] b = new byte[5];
            f.readFully(b);
            return new String(b, StandardCharsets.US_ASCII).equals("CD001");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String abbreviate(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 120 ? p.substring(0, 117) + "..." : p;
    }
}
