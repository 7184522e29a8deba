package dev.vessel.image.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Deleting trees that came from images: never follows a symlink, and copes with read-only directories. */
public final class FileTrees {
    private FileTrees() {}

    /** Removes {@code p} (file, symlink or tree); returns the bytes of regular files freed. Missing is fine. */
    public static long delete(Path p) {
        BasicFileAttributes a = RootResolver.lstat(p);
        if (a == null) {
            return 0;
        }
        long[] freed = {0};
        try {
            if (!a.isDirectory()) {
                Files.delete(p);
                return a.isRegularFile() ? a.size() : 0;
            }
            // walkFileTree does not follow links unless asked, so a symlink to / is removed, not walked.
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    // An image may ship 0555 directories; without the write bit an unprivileged daemon cannot empty
                    // them.
                    var mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                    if ((mode & 0700) != 0700) {
                        // Without NOFOLLOW_LINKS this is chmod(2); with it the JDK opens the dir, which 0000 forbids.
                        // The walk reached this dir without following links, so it is no symlink.
                        Files.setAttribute(dir, "unix:mode", mode | 0700);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        freed[0] += attrs.size();
                    }
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            return freed[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p, e);
        }
        return freed[0];
    }
}
