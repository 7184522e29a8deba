package dev.vessel.engine.container;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Follows a container's log for attach: copies what is there from an offset and what is appended, until the
 * container is done and everything it wrote has been copied. The file stays open, so a container removed at its end
 * ({@code --rm}) still has its last output delivered.
 */
public final class LogTail {
    private static final long POLL_MS = 10;

    private LogTail() {}

    /**
     * @param done true once the producer is gone for good; checked before each final read, so nothing written before it
     *     turned true is lost
     */
    public static void follow(Path log, long offset, OutputStream out, BooleanSupplier done, BooleanSupplier clientGone)
            throws IOException, InterruptedException {
        follow(log, offset, out, done, clientGone, new Semaphore(0));
    }

    /**
     * @param wake released when {@code done} may have turned true (the container's end event), so the tail ends at once
     *     instead of at the next poll
     */
    public static void follow(
            Path log, long offset, OutputStream out, BooleanSupplier done, BooleanSupplier clientGone, Semaphore wake)
            throws IOException, InterruptedException {
        while (!Files.exists(log)) {
            if (done.getAsBoolean() || clientGone.getAsBoolean()) {
                return;
            }
            Thread.sleep(POLL_MS);
        }
        byte[] buf = new byte[16 * 1024];
        try (var f = new RandomAccessFile(log.toFile(), "r")) {
            long pos = Math.min(offset, f.length());
            while (true) {
                boolean last = done.getAsBoolean();
                f.seek(pos);
                int n;
                boolean any = false;
                while ((n = f.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    pos += n;
                    any = true;
                }
                if (any) {
                    out.flush();
                }
                if (last || clientGone.getAsBoolean()) {
                    return;
                }
                wake.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS);
            }
        }
    }
}
