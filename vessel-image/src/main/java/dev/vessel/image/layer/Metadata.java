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

    void apply(Path p, TarArchiveEntry e, boolean symlink) {
        set(p, wanted(e), symlink);
    }

    void deferDir(Path p, TarArchiveEntry e) {
        dirs.put(p, wanted(e));
    }

    void finish() {
        List<Map.Entry<Path, Wanted>> all = new ArrayList<>(dirs.entrySet());
        for (Map.Entry<Path, Wanted> d : all.reversed()) {
            // A later entry of the layer may have replaced the directory with something else, or a whiteout removed it.
            if (Files.isDirectory(d.getKey(), LinkOption.NOFOLLOW_LINKS)) {
                set(d.getKey(), d.getValue(), false);
            }
        }
        dirs.clear();
    }

    private static Wanted wanted(TarArchiveEntry e) {
        return new Wanted((int) e.getLongUserId(), (int) e.getLongGroupId(), e.getMode() & 07777, e.getLastModifiedTime());
    }

    private void set(Path p, Wanted w, boolean symlink) {
        try {
            if (chown) {
                // Owner before mode: chown may clear set-uid/set-gid bits, chmod then puts them back.
                Files.setAttribute(p, "unix:uid", w.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", w.gid(), LinkOption.NOFOLLOW_LINKS);
            }
            if (!symlink) {
                Files.setAttribute(p, "unix:mode", w.mode(), LinkOption.NOFOLLOW_LINKS);
            }
            if (w.mtime() != null) {
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(w.mtime(), null, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set owner/mode/mtime of " + p, e);
        }
    }
}
