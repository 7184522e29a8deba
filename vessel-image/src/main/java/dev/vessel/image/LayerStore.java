package dev.vessel.image;

import dev.vessel.image.layer.FileTrees;
import dev.vessel.image.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Unpacked layers under {@code ROOT/layers/<diffid-hex>/}. A layer dir appears only by renaming a completely
 * unpacked staging dir, so its presence means it is whole. Layer dirs are shared and must be treated as read-only:
 * containers get them as overlay lower dirs, never as something to write into.
 */
public final class LayerStore {
    private final Path dir;

    public LayerStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    public Path path(Digest diffId) {
        return dir.resolve(diffId.hex());
    }

    public boolean contains(Digest diffId) {
        return Files.isDirectory(path(diffId));
    }

    public Set<Digest> list() {
        Set<Digest> out = new HashSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[a-f0-9]{64}"))
                    .forEach(n -> out.add(Digest.sha256Hex(n)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /** Moves a fully unpacked staging dir into place; if another import got there first, ours is discarded. */
    public void adopt(Path staged, Digest diffId) {
        if (contains(diffId)) {
            FileTrees.delete(staged);
            return;
        }
        try {
            Files.move(staged, path(diffId), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store layer " + diffId, e);
        }
    }

    /** Returns the bytes of regular files freed. */
    public long delete(Digest diffId) {
        return FileTrees.delete(path(diffId));
    }
}
