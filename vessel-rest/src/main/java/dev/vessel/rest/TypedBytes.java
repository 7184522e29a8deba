package dev.vessel.rest;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * What a browser types into a WebSocket (its binary frames), as a stream for the one thread that hands it on: to a
 * console, or to a command's stdin. The socket's callbacks {@link #put} and {@link #end}; a read blocks until bytes
 * come, and ends (-1) once the socket closed or the reading thread is interrupted. At most 1,024 frames wait, so a
 * reader that falls behind holds the socket's next frame back rather than the daemon's memory growing.
 */
final class TypedBytes extends InputStream {
    private static final byte[] EOF = new byte[0];
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>(1024);
    private byte[] current = new byte[0];
    private int at;

    /** A binary frame's bytes; an empty frame is nothing. */
    void put(ByteBuffer data) throws InterruptedException {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        if (b.length > 0) {
            queue.put(b);
        }
    }

    /** The socket closed (or failed): the stream ends after what came before. */
    void end() {
        queue.offer(EOF);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (current == EOF) {
            return -1;
        }
        try {
            while (at >= current.length) {
                current = queue.take();
                at = 0;
                if (current == EOF) {
                    return -1;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        int n = Math.min(len, current.length - at);
        System.arraycopy(current, at, b, off, n);
        at += n;
        return n;
    }
}
