package dev.vessel.image.catalog;

import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The catalogue as JSON files: {@code images/<id-hex>.json} per image and one {@code refs.json}. Every write goes
 * through {@link AtomicFiles}, so a crash leaves the old or the new file. The whole catalogue is also held in memory;
 * the files are read once, at open.
 */
public final class JsonFileCatalog implements ImageCatalog {
    /** The on-disk form of refs.json; versioned so a later layout can be told apart. */
    record RefsFile(int version, Map<String, Digest> refs) {}

    private final Path imagesDir;
    private final Path refsFile;
    private final Map<Digest, ImageRecord> images = new ConcurrentHashMap<>();
    private final TreeMap<String, Digest> refs = new TreeMap<>();

    public JsonFileCatalog(Path dir) {
        this.imagesDir = dir.resolve("images");
        this.refsFile = dir.resolve("refs.json");
        try {
            Files.createDirectories(imagesDir);
            try (Stream<Path> s = Files.list(imagesDir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().matches("[a-f0-9]{64}\\.json"))
                        .toList()) {
                    ImageRecord r = Json.readStored(Files.readString(p), ImageRecord.class);
                    images.put(r.id(), r);
                }
            }
            if (Files.exists(refsFile)) {
                refs.putAll(Json.readStored(Files.readString(refsFile), RefsFile.class)
                        .refs());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image catalogue in " + dir, e);
        }
    }

    @Override
    public Optional<ImageRecord> image(Digest id) {
        return Optional.ofNullable(images.get(id));
    }

    @Override
    public List<ImageRecord> images() {
        List<ImageRecord> out = new ArrayList<>(images.values());
        out.sort(Comparator.comparing(ImageRecord::storedAt).reversed());
        return out;
    }

    @Override
    public void putImage(ImageRecord image) {
        AtomicFiles.write(file(image.id()), Json.pretty(image));
        images.put(image.id(), image);
    }

    @Override
    public void removeImage(Digest id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove image record " + id, e);
        }
        images.remove(id);
    }

    @Override
    public synchronized Map<String, Digest> references() {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(refs));
    }

    @Override
    public synchronized void putReference(String reference, Digest id) {
        TreeMap<String, Digest> next = new TreeMap<>(refs);
        next.put(reference, id);
        save(next);
    }

    @Override
    public synchronized void removeReference(String reference) {
        TreeMap<String, Digest> next = new TreeMap<>(refs);
        if (next.remove(reference) != null) {
            save(next);
        }
    }

    /** File first, memory after: if the write fails, memory still matches the disk. */
    private void save(TreeMap<String, Digest> next) {
        AtomicFiles.write(refsFile, Json.pretty(new RefsFile(1, next)));
        refs.clear();
        refs.putAll(next);
    }

    private Path file(Digest id) {
        return imagesDir.resolve(id.hex() + ".json");
    }
}
