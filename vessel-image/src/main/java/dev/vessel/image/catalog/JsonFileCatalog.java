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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The catalogue as JSON files: {@code images/<id-hex>.json} per image, {@code refs.json} with the default namespace's
 * references (as before namespaces existed, so an older Vessel still reads them), and {@code namespaces.json} with the
 * other namespaces' references and what each namespace keeps without a name. A store without {@code namespaces.json}
 * predates namespaces: every image in it is the default namespace's. Every write goes through {@link AtomicFiles}, so
 * a crash leaves the old or the new file; a namespace holds an image it names whatever {@code namespaces.json} says,
 * so a crash between the two files never loses a named image. The whole catalogue is also held in memory; the files
 * are read once, at open.
 */
public final class JsonFileCatalog implements ImageCatalog {
    /** The on-disk form of refs.json; versioned so a later layout can be told apart. */
    record RefsFile(int version, Map<String, Digest> refs) {}

    /**
     * The on-disk form of namespaces.json.
     *
     * @param refs the references of every namespace but the default one (those are in refs.json)
     * @param kept the images each namespace keeps without a name
     */
    record NamespacesFile(int version, Map<String, Map<String, Digest>> refs, Map<String, Set<Digest>> kept) {}

    private final Path imagesDir;
    private final Path refsFile;
    private final Path namespacesFile;
    private final Map<Digest, ImageRecord> images = new ConcurrentHashMap<>();
    private final TreeMap<String, TreeMap<String, Digest>> refs = new TreeMap<>();
    private final TreeMap<String, TreeSet<Digest>> kept = new TreeMap<>();

    public JsonFileCatalog(Path dir) {
        this.imagesDir = dir.resolve("images");
        this.refsFile = dir.resolve("refs.json");
        this.namespacesFile = dir.resolve("namespaces.json");
        try {
            Files.createDirectories(imagesDir);
            try (Stream<Path> s = Files.list(imagesDir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().matches("[a-f0-9]{64}\\.json"))
                        .toList()) {
                    ImageRecord r = Json.readStored(Files.readString(p), ImageRecord.class);
                    images.put(r.id(), r);
                }
            }
            var defaults = new TreeMap<String, Digest>();
            if (Files.exists(refsFile)) {
                defaults.putAll(Json.readStored(Files.readString(refsFile), RefsFile.class)
                        .refs());
            }
            refs.put(DEFAULT, defaults);
            if (Files.exists(namespacesFile)) {
                var ns = Json.readStored(Files.readString(namespacesFile), NamespacesFile.class);
                ns.refs().forEach((n, r) -> {
                    if (!n.equals(DEFAULT)) {
                        refs.put(n, new TreeMap<>(r));
                    }
                });
                ns.kept().forEach((n, k) -> kept.put(n, digests(k)));
            } else {
                // Before namespaces, every image was the one namespace's.
                kept.put(DEFAULT, digests(images.keySet()));
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
    public synchronized Map<String, Digest> references(String namespace) {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(refs.getOrDefault(namespace, new TreeMap<>())));
    }

    @Override
    public synchronized void putReference(String namespace, String reference, Digest id) {
        var next = copyRefs();
        next.computeIfAbsent(namespace, n -> new TreeMap<>()).put(reference, id);
        save(next, kept);
    }

    @Override
    public synchronized void removeReference(String namespace, String reference) {
        var next = copyRefs();
        var of = next.get(namespace);
        if (of != null && of.remove(reference) != null) {
            if (of.isEmpty() && !namespace.equals(DEFAULT)) {
                next.remove(namespace);
            }
            save(next, kept);
        }
    }

    @Override
    public synchronized Set<Digest> held(String namespace) {
        var out = new HashSet<Digest>(kept.getOrDefault(namespace, digests(Set.of())));
        out.addAll(refs.getOrDefault(namespace, new TreeMap<>()).values());
        out.retainAll(images.keySet());
        return out;
    }

    @Override
    public synchronized void hold(String namespace, Digest id) {
        if (kept.getOrDefault(namespace, digests(Set.of())).contains(id)) {
            return;
        }
        var next = copyKept();
        next.computeIfAbsent(namespace, n -> digests(Set.of())).add(id);
        save(refs, next);
    }

    @Override
    public synchronized void release(String namespace, Digest id) {
        var of = kept.get(namespace);
        if (of == null || !of.contains(id)) {
            return;
        }
        var next = copyKept();
        next.get(namespace).remove(id);
        if (next.get(namespace).isEmpty()) {
            next.remove(namespace);
        }
        save(refs, next);
    }

    @Override
    public synchronized Set<String> namespaces() {
        var out = new TreeSet<String>(kept.keySet());
        refs.forEach((n, r) -> {
            if (!r.isEmpty()) {
                out.add(n);
            }
        });
        return out;
    }

    private TreeMap<String, TreeMap<String, Digest>> copyRefs() {
        var out = new TreeMap<String, TreeMap<String, Digest>>();
        refs.forEach((n, r) -> out.put(n, new TreeMap<>(r)));
        return out;
    }

    private TreeMap<String, TreeSet<Digest>> copyKept() {
        var out = new TreeMap<String, TreeSet<Digest>>();
        kept.forEach((n, k) -> out.put(n, digests(k)));
        return out;
    }

    /**
     * Files first, memory after: if a write fails, memory still matches the disk. refs.json is written only when the
     * default namespace's references changed, namespaces.json only when the rest did.
     */
    private void save(TreeMap<String, TreeMap<String, Digest>> nextRefs, TreeMap<String, TreeSet<Digest>> nextKept) {
        var defaults = nextRefs.getOrDefault(DEFAULT, new TreeMap<>());
        if (!defaults.equals(refs.getOrDefault(DEFAULT, new TreeMap<>()))) {
            AtomicFiles.write(refsFile, Json.pretty(new RefsFile(1, defaults)));
        }
        var others = new TreeMap<String, Map<String, Digest>>(nextRefs);
        others.remove(DEFAULT);
        var current = new TreeMap<String, Map<String, Digest>>(refs);
        current.remove(DEFAULT);
        if (!others.equals(current) || !nextKept.equals(kept) || !Files.exists(namespacesFile)) {
            AtomicFiles.write(
                    namespacesFile,
                    Json.pretty(new NamespacesFile(1, others, new TreeMap<String, Set<Digest>>(nextKept))));
        }
        if (nextRefs != refs) {
            refs.clear();
            refs.putAll(nextRefs);
            refs.putIfAbsent(DEFAULT, new TreeMap<>());
        }
        if (nextKept != kept) {
            kept.clear();
            kept.putAll(nextKept);
        }
    }

    /** A sorted set of digests (they sort by their text, so the file is stable). */
    private static TreeSet<Digest> digests(java.util.Collection<Digest> of) {
        var out = new TreeSet<Digest>(Comparator.comparing(Digest::toString));
        out.addAll(of);
        return out;
    }

    private Path file(Digest id) {
        return imagesDir.resolve(id.hex() + ".json");
    }
}
