package dev.vessel.docker;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Docker's multiplexed stream (moby's stdcopy), used where the container has no terminal: each write is one frame, a
 * header of the stream (1 stdout, 2 stderr), three zero bytes and the payload's length (big-endian), then the payload.
 */
final class StdFrames extends FilterOutputStream {
    static final int STDOUT = 1;
    static final int STDERR = 2;
    /** The content type of a multiplexed stream (API 1.42+); older clients take the raw one the same way. */
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";

    static final String RAW = "application/vnd.docker.raw-stream";

    private final int stream;

    StdFrames(OutputStream out, int stream) {
        super(out);
        this.stream = stream;
    }

    /** Frames {@code out} unless the container has a terminal, whose bytes go as they are. */
    static OutputStream of(OutputStream out, boolean tty, int stream) {
        return tty ? out : new StdFrames(out, stream);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        synchronized (out) {
            out.write(header(stream, len));
            out.write(b, off, len);
        }
    }

    static byte[] header(int stream, int len) {
        return new byte[] {
            (byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len
        };
    }
}
