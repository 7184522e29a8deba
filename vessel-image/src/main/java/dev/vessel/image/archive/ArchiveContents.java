package dev.vessel.image.archive;

import dev.vessel.core.error.VesselException;
import dev.vessel.image.blob.Compression;
import dev.vessel.image.layer.UnsafeArchive;
import dev.vessel.image.oci.Digest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The files of an image archive, each already stored as a blob by content. Read in one pass: nothing from the archive
 * is written under its own name, so hostile names in it cannot reach the file system; they are only map keys.
 * Links (legacy {@code docker save} links duplicate layers) are resolved by name inside the archive.
 */
final class ArchiveContents {
    private static final int MAX_LINKS = 16;

    private final Map<String, Digest> files = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();

    static ArchiveContents read(Path archive, BlobSink sink) {
        ArchiveContents c = new ArchiveContents();
        if (Files.isDirectory(archive)) {
            c.readDirectory(archive, sink);
        } else if (Files.isRegularFile(archive)) {
            c.readTar(archive, sink);
        } else {
            throw VesselException.invalid("archive", "'" + archive + "' is neither a file nor a directory");
        }
        return c;
    }

    private void readTar(Path archive, BlobSink sink) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tin = new TarArchiveInputStream(Compression.decompress(raw), "UTF-8")) {
            TarArchiveEntry e;
            while ((e = tin.getNextEntry()) != null) {
                String name = normalize(e.getName());
                if (e.isSymbolicLink()) {
                    String dir = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
                    links.put(name, e.getLinkName().startsWith("/") ? e.getLinkName() : dir + e.getLinkName());
                } else if (e.isLink()) {
                    links.put(name, e.getLinkName());
                } else if (e.isFile()) {
                    files.put(name, sink.put(tin, null, -1));
                }
            }
        } catch (IOException e) {
            throw UnsafeArchive.corrupt("image archive " + archive.getFileName(), e);
        }
    }

    private void readDirectory(Path dir, BlobSink sink) {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        for (Path p : all) {
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                files.put(normalize(dir.relativize(p).toString()), sink.put(in, null, -1));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
    }

    /** The digest of the file at {@code name}, following links; empty if absent. */
    Optional<Digest> digest(String name) {
        String n = normalize(name);
        for (int i = 0; i < MAX_LINKS; i++) {
            Digest d = files.get(n);
            if (d != null) {
                return Optional.of(d);
            }
            String target = links.get(n);
            if (target == null) {
                return Optional.empty();
            }
            n = normalize(target);
        }
        throw VesselException.invalid("archive", "too many levels of links at '" + name + "'");
    }

    /** Like {@link #digest} but the file must be there; a path of the form blobs/sha256/HEX must also hash to HEX. */
    Digest require(String name) {
        Digest d = digest(name).orElseThrow(() -> VesselException.invalid("archive", "it lacks '" + name + "'"));
        String n = normalize(name);
        String hex = n.startsWith("blobs/sha256/")
                ? n.substring("blobs/sha256/".length())
                : n.endsWith(".json") ? n.substring(0, n.length() - 5) : null;
        if (hex != null && hex.matches("[a-f0-9]{64}") && !hex.equals(d.hex())) {
            throw VesselException.invalid("archive", "bad digest: '" + name + "' hashes to " + d);
        }
        return d;
    }

    boolean has(String name) {
        return digest(name).isPresent();
    }

    /** Lexical clean-up: drops "." and empty components and applies ".." (never above the archive root). */
    static String normalize(String name) {
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
                continue;
            }
            out.add(c);
        }
        return String.join("/", out);
    }
}
