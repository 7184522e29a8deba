package dev.vessel.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.IdRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * Gives a container's own files to the host ids of its user namespace, so that root in the container owns what the
 * image's root owned: every uid and gid {@code n} becomes {@code range.hostId + n}. This is the "chown shift" that
 * podman and Docker's userns-remap fall back to where the kernel or runc cannot map ids at mount time (runc 1.1 has no
 * idmapped mounts). Owners are changed with lchown (a symlink itself, never its target), and the setuid and setgid bits
 * that chown(2) clears are set again. Only ever for a container's private copy: never for a shared image layer.
 */
public final class IdShift {
    private static final int SET_ID_BITS = 06000;

    private IdShift() {}

    /**
     * Shifts every file under {@code root} (and {@code root} itself) into {@code range}. Files already in the range are
     * left, so a shift interrupted by a crash can be run again, and a file with several hard links is shifted once.
     */
    public static void tree(Path root, IdRange range) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    shift(dir, range);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    shift(file, range);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + root + " to host ids " + range.hostId() + "..", e);
        }
    }

    private static void shift(Path p, IdRange range) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        long uid = Integer.toUnsignedLong((Integer) a.get("uid"));
        long gid = Integer.toUnsignedLong((Integer) a.get("gid"));
        if (range.containsHost(uid) && range.containsHost(gid)) {
            return;
        }
        if (uid >= range.size() || gid >= range.size()) {
            throw VesselException.invalid(
                    "userns",
                    "the image's " + p.getFileName() + " is owned by " + uid + ":" + gid + ", outside the container's "
                            + range.size() + " ids");
        }
        chown(p, range.toHost(uid), range.toHost(gid), (Integer) a.get("mode"));
    }

    /** Gives one file (a symlink itself) to host ids {@code uid:gid}, keeping its setuid and setgid bits. */
    public static void chown(Path p, int uid, int gid) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            chown(p, uid, gid, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + p + " to " + uid + ":" + gid, e);
        }
    }

    private static void chown(Path p, int uid, int gid, int mode) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        if ((mode & SET_ID_BITS) != 0 && !Files.isSymbolicLink(p)) {
            Files.setAttribute(p, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
