package dev.vessel.container;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a container's log bounded, as Docker's {@code max-size}/{@code max-file} do. The container's process writes
 * the log itself (opened with O_APPEND, so logs go on while the daemon is down), so rotation is "copy, then truncate":
 * the log is copied to {@code container.log.1} (older ones shift up to {@code .N}, the oldest is dropped) and cut to
 * zero; the process's next write lands at the new end. Output written between the copy and the cut (a few
 * microseconds) is lost — the known price of rotating a file someone else appends to.
 */
public final class LogRotation {
    private LogRotation() {}

    /** Rotates {@code log} if it is larger than {@code maxSize}; returns whether it did. {@code maxSize} 0 means never. */
    public static boolean rotateIfLarger(Path log, long maxSize, int maxFiles) throws IOException {
        if (maxSize <= 0 || !Files.exists(log) || Files.size(log) <= maxSize) {
            return false;
        }
        if (maxFiles > 0) {
            Files.deleteIfExists(rotated(log, maxFiles));
            for (int k = maxFiles - 1; k >= 1; k--) {
                if (Files.exists(rotated(log, k))) {
                    Files.move(rotated(log, k), rotated(log, k + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path tmp = log.resolveSibling(log.getFileName() + ".rotating");
            Files.copy(log, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, rotated(log, 1), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        try (var ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        return true;
    }

    public static Path rotated(Path log, int k) {
        return log.resolveSibling(log.getFileName() + "." + k);
    }

    /** The rotated logs that exist, oldest first (what {@code logs} prints before the current one). */
    public static List<Path> older(Path log) {
        var out = new ArrayList<Path>();
        for (int k = 1; k <= 100 && Files.exists(rotated(log, k)); k++) {
            out.addFirst(rotated(log, k));
        }
        return out;
    }
}
