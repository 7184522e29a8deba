package dev.vessel.image.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Owner, mode and mtime of unpacked entries. Directories are done last, deepest first: writing into a directory
 * changes its mtime, and a 0555 directory set early would stop an unprivileged unpack from filling it.
 */
final class Metadata {
    private record Wanted(int uid, int gid, int mode, FileTime mtime) {}

    private final boolean chown;
    private final Map<Path, Wanted> dirs = new LinkedHashMap<>();

    Metadata(boolean chown) {
        this.chown = chown;
    }

    /** What was created, which decides which system calls are safe on it. */
    enum Kind {
        FILE,
        SYMLINK,
        SPECIAL
    }

    void apply(Path p, TarArchiveEntry e, Kind kind) {
        set(p, wanted(e), kind);
    }

    void deferDir(Path p, TarArchiveEntry e) {
        dirs.put(p, wanted(e));
    }

    void finish() {
        List<Map.Entry<Path, Wanted>> all = new ArrayList<>(dirs.entrySet());
        for (Map.Entry<Path, Wanted> d : all.reversed()) {
            // A later entry of the layer may have replaced the directory with something else, or a whiteout removed it.
            if (Files.isDirectory(d.getKey(), LinkOption.NOFOLLOW_LINKS)) {
                set(d.getKey(), d.getValue(), Kind.FILE);
            }
        }
        dirs.clear();
    }

    private static Wanted wanted(TarArchiveEntry e) {
        return new Wanted(
                (int) e.getLongUserId(), (int) e.getLongGroupId(), e.getMode() & 07777, e.getLastModifiedTime());
    }

    /**
     * Order and calls matter. The JDK sets times (and, with NOFOLLOW_LINKS, modes) by opening the file: that blocks
     * forever on a fifo and opens devices, so special files keep mknod's time, and modes go through chmod(2) on a
     * path we know has no symlink in it (parents resolved by hand, last component created by us). Times come first,
     * while the file is still ours and readable; owner before mode, since chown may clear set-uid/set-gid bits.
     */
    private void set(Path p, Wanted w, Kind kind) {
        try {
            if (w.mtime() != null && kind != Kind.SPECIAL) {
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(w.mtime(), null, null);
            }
            if (chown) {
                Files.setAttribute(p, "unix:uid", w.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", w.gid(), LinkOption.NOFOLLOW_LINKS);
            }
            if (kind != Kind.SYMLINK) {
                Files.setAttribute(p, "unix:mode", w.mode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set owner/mode/mtime of " + p, e);
        }
    }
}
