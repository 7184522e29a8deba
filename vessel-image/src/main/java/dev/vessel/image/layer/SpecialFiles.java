package dev.vessel.image.layer;

import dev.vessel.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/** Device nodes and fifos, which the JDK cannot create: made with mknod(1), only when the options allow them. */
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

    static void create(ProcessRunner runner, Path target, TarArchiveEntry e) {
        String mode = Integer.toOctalString(e.getMode() & 0777);
        if (e.isFIFO()) {
            runner.run(Duration.ofSeconds(10), "mknod", "-m", mode, target.toString(), "p");
        } else {
            String type = e.isCharacterDevice() ? "c" : "b";
            runner.run(Duration.ofSeconds(10), "mknod", "-m", mode, target.toString(), type,
                    Integer.toString(e.getDevMajor()), Integer.toString(e.getDevMinor()));
        }
    }
}
