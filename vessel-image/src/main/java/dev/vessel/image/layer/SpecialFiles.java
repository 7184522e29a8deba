package dev.vessel.image.layer;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/** Device nodes and fifos, which the JDK cannot create: made with mknod(2), only when the options allow them. */
final class SpecialFiles {
    private SpecialFiles() {}

    static String describe(TarArchiveEntry e) {
        if (e.isCharacterDevice()) {
            return "character device " + e.getDevMajor() + ":" + e.getDevMinor();
        }
        if (e.isBlockDevice()) {
            return "block device " + e.getDevMajor() + ":" + e.getDevMinor();
        }
        return "fifo";
    }

    static void create(Path target, TarArchiveEntry e) throws IOException {
        int type = e.isFIFO() ? LinuxFiles.S_IFIFO : e.isCharacterDevice() ? LinuxFiles.S_IFCHR : LinuxFiles.S_IFBLK;
        LinuxFiles.mknod(
                target,
                type | (e.getMode() & 0777),
                e.isFIFO() ? 0 : e.getDevMajor(),
                e.isFIFO() ? 0 : e.getDevMinor());
    }
}
