package dev.vessel.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link ImageTool} without qemu-img: every image is a small JSON file holding its format, virtual size, backing
 * file, a "data" string standing for its contents, and its internal snapshots (tag to data). Because the state lives
 * in the file, images keep it when the engine moves them and when a test "restarts" the daemon.
 *
 * <p>A test can make any call on a given image {@linkplain #crashAt crash}: the tool throws {@link SimulatedCrash},
 * an {@link Error} the engine does not catch, so the code after it never runs, as if the daemon died there.
 */
public final class FakeImageTool implements ImageTool {
    /** What a daemon that dies mid-call leaves behind: nothing after this point ran. */
    public static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String where) {
            super("simulated crash at " + where);
        }
    }

    /** A call the tool was asked to make. */
    public record Call(String op, Path image) {}

    private record Trap(String op, Path image, boolean before) {}

    private record Failure(String op, Path image) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Set<Trap> traps = ConcurrentHashMap.newKeySet();
    private final Set<Failure> failures = ConcurrentHashMap.newKeySet();

    /** Writes an image as a test's starting point (a base image to create VMs from). */
    public static void write(Path image, String format, long virtualSize, String data) {
        var n = Json.MAPPER.createObjectNode();
        n.put("format", format);
        n.put("virtualSize", virtualSize);
        n.put("data", data);
        n.putObject("snapshots");
        save(image, n);
    }

    /** The data an image holds now (what a guest would read). */
    public static String data(Path image) {
        return load(image).path("data").asText();
    }

    /** Changes an image's data, as a guest writing to its disk would. */
    public static void setData(Path image, String data) {
        var n = load(image);
        n.put("data", data);
        save(image, n);
    }

    /** The image crashes the daemon when {@code op} is called on it; {@code afterWork}: once the call has done its work. */
    public void crashAt(String op, Path image, boolean afterWork) {
        traps.add(new Trap(op, image.toAbsolutePath().normalize(), !afterWork));
    }

    /** The next call of {@code op} on the image fails as qemu-img fails (an error the engine handles), doing nothing. */
    public void failAt(String op, Path image) {
        failures.add(new Failure(op, image.toAbsolutePath().normalize()));
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public List<Info> chain(Path image) {
        enter("chain", image);
        var out = new ArrayList<Info>();
        Path p = image;
        while (p != null) {
            if (!Files.exists(p)) {
                throw VesselException.invalid(
                        "image", "'" + p + "' is not a disk image qemu-img can read: no such file");
            }
            var n = load(p);
            String backing = n.hasNonNull("backing") ? n.path("backing").asText() : null;
            out.add(new Info(
                    p.toString(),
                    n.path("format").asText(),
                    n.path("virtualSize").asLong(),
                    size(p),
                    backing));
            p = backing == null ? null : Path.of(backing);
        }
        leave("chain", image);
        return out;
    }

    @Override
    public void createOverlay(Path base, String baseFormat, Path target) {
        enter("createOverlay", target);
        var b = load(base);
        var n = Json.MAPPER.createObjectNode();
        n.put("format", "qcow2");
        n.put("virtualSize", b.path("virtualSize").asLong());
        n.put("backing", base.toString());
        n.put("backingFormat", baseFormat);
        n.put("data", b.path("data").asText());
        n.putObject("snapshots");
        save(target, n);
        leave("createOverlay", target);
    }

    @Override
    public void create(Path target, String format, long sizeBytes, String preallocation) {
        enter("create", target);
        write(target, format, sizeBytes, "");
        leave("create", target);
    }

    @Override
    public void convert(Path source, String sourceFormat, Path target, String targetFormat) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".partial");
        convertTo(source, sourceFormat, tmp, targetFormat);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void convertTo(Path source, String sourceFormat, Path target, String targetFormat) {
        enter("convert", target);
        var s = load(source);
        write(
                target,
                targetFormat,
                s.path("virtualSize").asLong(),
                s.path("data").asText());
        leave("convert", target);
    }

    @Override
    public JsonNode infoJson(Path image, String format) {
        enter("info", image);
        var n = load(image);
        var out = Json.MAPPER.createObjectNode();
        out.put("filename", image.toString());
        out.put("format", n.path("format").asText());
        out.put("virtual-size", n.path("virtualSize").asLong());
        out.put("actual-size", size(image));
        if (n.hasNonNull("backing")) {
            out.put("backing-filename", n.path("backing").asText());
            out.put("full-backing-filename", n.path("backing").asText());
            out.put("backing-filename-format", n.path("backingFormat").asText());
        }
        var snaps = out.putArray("snapshots");
        n.path("snapshots").fieldNames().forEachRemaining(t -> snaps.addObject().put("name", t));
        out.putObject("format-specific").put("type", n.path("format").asText());
        leave("info", image);
        return out;
    }

    @Override
    public void resize(Path image, String format, long sizeBytes, boolean shrink) {
        enter("resize", image);
        var n = load(image);
        if (sizeBytes < n.path("virtualSize").asLong() && !shrink) {
            throw VesselException.invalid("size", "qemu-img refuses to shrink without --shrink");
        }
        n.put("virtualSize", sizeBytes);
        save(image, n);
        leave("resize", image);
    }

    @Override
    public void snapshotCreate(Path image, String tag) {
        enter("snapshotCreate", image);
        var n = load(image);
        var snaps = (ObjectNode) n.path("snapshots");
        if (snaps.has(tag)) {
            throw VesselException.host("qemu-img: snapshot '" + tag + "' exists in " + image, null);
        }
        snaps.put(tag, n.path("data").asText());
        save(image, n);
        leave("snapshotCreate", image);
    }

    @Override
    public void snapshotApply(Path image, String tag) {
        enter("snapshotApply", image);
        var n = load(image);
        var snaps = n.path("snapshots");
        if (!snaps.has(tag)) {
            throw VesselException.host(
                    "qemu-img: could not apply snapshot '" + tag + "' of " + image + ": no such snapshot", null);
        }
        n.put("data", snaps.path(tag).asText());
        save(image, n);
        leave("snapshotApply", image);
    }

    @Override
    public void snapshotDelete(Path image, String tag) {
        enter("snapshotDelete", image);
        var n = load(image);
        if (((ObjectNode) n.path("snapshots")).remove(tag) == null) {
            throw VesselException.host(
                    "qemu-img: could not delete snapshot '" + tag + "' of " + image + ": no such snapshot", null);
        }
        save(image, n);
        leave("snapshotDelete", image);
    }

    @Override
    public List<String> snapshotTags(Path image) {
        var out = new ArrayList<String>();
        load(image).path("snapshots").fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The internal snapshots of an image, tag to the data they hold. */
    public static Map<String, String> snapshots(Path image) {
        var out = new LinkedHashMap<String, String>();
        load(image)
                .path("snapshots")
                .properties()
                .forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private void enter(String op, Path image) {
        calls.add(new Call(op, image));
        if (failures.remove(new Failure(op, image.toAbsolutePath().normalize()))) {
            throw VesselException.host("qemu-img " + op + " " + image + " failed (injected)", null);
        }
        if (traps.remove(new Trap(op, image.toAbsolutePath().normalize(), true))) {
            throw new SimulatedCrash(op + " " + image + " (before)");
        }
    }

    private void leave(String op, Path image) {
        if (traps.remove(new Trap(op, image.toAbsolutePath().normalize(), false))) {
            throw new SimulatedCrash(op + " " + image + " (after)");
        }
    }

    private static ObjectNode load(Path image) {
        try {
            if (Json.tree(Files.readString(image)) instanceof ObjectNode n) {
                return n;
            }
            throw VesselException.invalid("image", "'" + image + "' is not a disk image qemu-img can read");
        } catch (IOException e) {
            throw VesselException.invalid(
                    "image", "'" + image + "' is not a disk image qemu-img can read: " + e.getMessage());
        }
    }

    private static void save(Path image, ObjectNode n) {
        try {
            Files.createDirectories(image.toAbsolutePath().getParent());
            // Whole or not at all, as a reader that looks meanwhile (a test polling a disk) would find a real image.
            Path tmp = image.resolveSibling("." + image.getFileName() + ".fake-write");
            Files.writeString(tmp, Json.write(n));
            Files.move(
                    tmp,
                    image,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fake image " + image, e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
