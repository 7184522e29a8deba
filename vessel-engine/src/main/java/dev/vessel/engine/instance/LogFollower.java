package dev.vessel.engine.instance;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Reads an append-only log (a VM's serial console, a container's output): the last lines, then, when following, what
 * is appended, until the client leaves or the producer is gone. Polling a file costs nothing per VM while nobody
 * reads, which is why the log is a file QEMU writes itself.
 */
public final class LogFollower {
    private static final long POLL_MS = 100;

    private LogFollower() {}

    /** The byte offset where the last {@code lines} lines start (all when lines < 0). */
    public static long tailOffset(Path log, int lines) throws IOException {
        if (!Files.exists(log) || lines < 0) {
            return 0;
        }
        try (var f = new RandomAccessFile(log.toFile(), "r")) {
            long pos = f.length();
            if (lines == 0) {
                return pos;
            }
            int seen = 0;
            byte[] buf = new byte[8192];
            long end = pos;
            // A final line without a newline counts as a line.
            boolean skippedTrailingNewline = false;
            while (pos > 0) {
                int n = (int) Math.min(buf.length, pos);
                pos -= n;
                f.seek(pos);
                f.readFully(buf, 0, n);
                for (int i = n - 1; i >= 0; i--) {
                    if (buf[i] == '\n') {
                        if (pos + i == end - 1 && !skippedTrailingNewline) {
                            skippedTrailingNewline = true;
                            continue;
                        }
                        if (++seen == lines) {
                            return pos + i + 1;
                        }
                    }
                }
            }
            return 0;
        }
    }

    /** Copies from {@code offset} to the end, then keeps copying new bytes while {@code follow} says so. */
    public static void copy(Path log, long offset, OutputStream out, BooleanSupplier follow)
            throws IOException, InterruptedException {
        long pos = offset;
        byte[] buf = new byte[16 * 1024];
        while (true) {
            if (Files.exists(log)) {
                try (var f = new RandomAccessFile(log.toFile(), "r")) {
                    if (f.length() < pos) {
                        pos = 0; // truncated or replaced
                    }
                    f.seek(pos);
                    int n;
                    while ((n = f.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        pos += n;
                    }
                }
                out.flush();
            }
            if (!follow.getAsBoolean()) {
                return;
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** Scans from {@code offset} for a line containing {@code marker}; returns the offset after it, or -1. */
    public static long find(Path log, long offset, String marker, ArrayDeque<String> partial) throws IOException {
        if (!Files.exists(log)) {
            return -1;
        }
        try (var f = new RandomAccessFile(log.toFile(), "r")) {
            if (f.length() <= offset) {
                return -1;
            }
            f.seek(offset);
            byte[] rest = new byte[(int) Math.min(f.length() - offset, 1 << 20)];
            f.readFully(rest);
            String text = (partial.isEmpty() ? "" : partial.pop()) + new String(rest, StandardCharsets.UTF_8);
            int idx = text.indexOf(marker);
            if (idx >= 0) {
                return offset + rest.length;
            }
            int keep = Math.min(text.length(), marker.length());
            partial.push(text.substring(text.length() - keep));
            return -(offset + rest.length) - 2;
        }
    }
}
