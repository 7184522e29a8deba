package dev.vessel.image.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Walks a path inside the extraction root one component at a time with lstat, never letting the kernel follow a
 * symlink. A symlink met on the way is followed by hand, relative to its own directory, and only while it stays
 * inside the root: a relative target that climbs above the root, or an absolute target (which the kernel would
 * resolve against the host's root, not the image's), is refused. That is what defeats "symlink then write through
 * it" archives.
 */
final class RootResolver {
    private static final int MAX_LINKS = 40;

    private final Path root;

    RootResolver(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path path(List<String> resolved) {
        Path p = root;
        for (String c : resolved) {
            p = p.resolve(c);
        }
        return p;
    }

    /**
     * Resolves directory components to a symlink-free list of components of an existing directory.
     *
     * @param entry the tar entry, for error messages
     * @param createMissing create missing directories (mode 0755) and report each via {@code onCreated}
     * @return null when a component is missing and {@code createMissing} is false
     */
    List<String> resolveDir(
            String entry, List<String> components, boolean createMissing, Consumer<List<String>> onCreated) {
        Deque<String> todo = new ArrayDeque<>(components);
        List<String> done = new ArrayList<>();
        int links = 0;
        String via = null;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                // Only symlink targets can bring '..' here: EntryPath refuses it in names.
                if (done.isEmpty()) {
                    throw UnsafeArchive.entry(entry, "symlink '" + via + "' points outside the root");
                }
                done.removeLast();
                continue;
            }
            List<String> next = new ArrayList<>(done);
            next.add(c);
            Path p = path(next);
            BasicFileAttributes a = lstat(p);
            if (a == null) {
                if (!createMissing) {
                    return null;
                }
                mkdir(p);
                onCreated.accept(List.copyOf(next));
                done = next;
            } else if (a.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    throw UnsafeArchive.entry(entry, "too many levels of symbolic links");
                }
                via = String.join("/", next);
                String target = readLink(p);
                if (target.startsWith("/")) {
                    throw UnsafeArchive.entry(
                            entry,
                            "writing through symlink '" + via + "' -> '" + target
                                    + "' would follow an absolute target outside the root");
                }
                List<String> parts = List.of(target.split("/"));
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
            } else if (a.isDirectory()) {
                done = next;
            } else {
                throw UnsafeArchive.entry(entry, "'" + String.join("/", next) + "' is not a directory");
            }
        }
        return done;
    }

    static BasicFileAttributes lstat(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + p, e);
        }
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read symlink " + p, e);
        }
    }

    private static void mkdir(Path p) {
        try {
            Files.createDirectory(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p, e);
        }
    }
}
