package dev.vessel.qemu.qmp;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Splits the QMP byte stream into messages. QEMU's {@code -qmp} monitor writes one compact JSON object per line
 * ({@code \r\n}-terminated); JSON strings cannot contain a raw newline, so a newline always ends a message. A read may
 * end mid-message or hold several messages, so bytes are buffered until a newline arrives.
 *
 * <p>Not thread-safe: only the reader thread uses it.
 */
final class LineFramer {
    /** Receives one line without its terminator; the bytes are only valid during the call. */
    @FunctionalInterface
    interface LineSink {
        void line(byte[] buf, int offset, int length);
    }

    private static final int INITIAL = 8 * 1024;
    /** Buffers grown above this by one big reply are dropped afterwards, so an idle VM does not keep megabytes. */
    private static final int KEEP = 256 * 1024;

    private final int maxLine;
    private byte[] buf = new byte[INITIAL];
    private int len;
    /** Bytes before this index are known to hold no newline; avoids rescanning a large partial reply on every read. */
    private int scanned;

    LineFramer(int maxLine) {
        this.maxLine = maxLine;
    }

    /**
     * Appends a chunk and passes every completed line to the sink.
     *
     * @throws IOException if a message grows beyond the limit without a newline: the peer is not speaking QMP, and
     *                     buffering further would only exhaust memory
     */
    void feed(ByteBuffer chunk, LineSink sink) throws IOException {
        int n = chunk.remaining();
        ensureCapacity(len + n);
        chunk.get(buf, len, n);
        len += n;

        int start = 0;
        for (int i = scanned; i < len; i++) {
            if (buf[i] == '\n') {
                int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                if (end > start) {
                    sink.line(buf, start, end - start);
                }
                start = i + 1;
            }
        }
        len -= start;
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, len);
        }
        scanned = len;
        if (len > maxLine) {
            throw new IOException("QMP message exceeds " + maxLine + " bytes without a newline");
        }
        if (buf.length > KEEP && len < INITIAL) {
            byte[] small = new byte[INITIAL];
            System.arraycopy(buf, 0, small, 0, len);
            buf = small;
        }
    }

    /** Bytes held for an unfinished message. */
    int pending() {
        return len;
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            byte[] bigger = new byte[Math.max(needed, buf.length * 2)];
            System.arraycopy(buf, 0, bigger, 0, len);
            buf = bigger;
        }
    }
}
