package dev.vessel.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every path under a dir with its kind and size, to compare before and after an operation. */
final class Snapshot {
    private Snapshot() {}

    static Map<String, String> of(Path root) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String kind = Files.isSymbolicLink(p)
                        ? "link"
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file:" + Files.size(p);
                out.put(root.relativize(p).toString(), kind);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
