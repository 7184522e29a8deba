package dev.vessel.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * QEMU runs as the VM's own uid with no capabilities, so what it opens must be the VM's: its state and run
 * directories are handed to that uid at every start, and a file the daemon makes for a running VM (a hot-plugged
 * disk, a backup target) takes the owner of the directory it is in before QEMU is told to open it. Links are changed
 * themselves, never followed.
 */
public final class QemuFiles {
    private QemuFiles() {}

    /** Gives {@code dir} and everything under it, except what is under {@code keep}, to {@code uid}:{@code uid}. */
    public static void own(Path dir, int uid, Path... keep) {
        var kept =
                java.util.Arrays.stream(keep).filter(java.util.Objects::nonNull).toList();
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (kept.contains(d)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    chown(d, uid);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    chown(f, uid);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + dir + " to uid " + uid, e);
        }
    }

    /** Gives {@code file} the owner of its directory (the VM's uid once the VM has started). */
    public static void likeItsDirectory(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.setAttribute(file, "unix:uid", Files.getAttribute(dir, "unix:uid"), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(file, "unix:gid", Files.getAttribute(dir, "unix:gid"), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + file + " to its VM's uid", e);
        }
    }

    /** The numeric owner of a file. */
    public static int uid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chown(Path p, int uid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
    }
}
