package dev.vessel.http;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The multiplexed stream of an exec session and of a relayed CLI call, as Docker's attach protocol has it: per frame a
 * byte for the stream, three zero bytes, a 4-byte big-endian length, the payload. One writer and one reader for both.
 */
public final class Frames {
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    /** The exit code in ASCII; the last frame. */
    public static final int EXIT = 3;

    /** One frame read. */
    public record Frame(int stream, byte[] payload) {}

    private Frames() {}

    /** Writes one whole frame and flushes; frames of several writers on one stream never interleave. */
    public static void write(OutputStream out, int stream, byte[] b, int off, int len) throws IOException {
        synchronized (out) {
            out.write(new byte[] {
                (byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len
            });
            out.write(b, off, len);
            out.flush();
        }
    }

    public static void write(OutputStream out, int stream, byte[] b) throws IOException {
        write(out, stream, b, 0, b.length);
    }

    /** An output stream whose every write is a frame of {@code stream} on {@code out}. */
    public static OutputStream stream(OutputStream out, int stream) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                Frames.write(out, stream, new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    Frames.write(out, stream, b, off, len);
                }
            }
        };
    }

    /** The next frame, or null at the end of the stream before one starts. */
    public static Frame read(DataInputStream in) throws IOException {
        int stream = in.read();
        if (stream < 0) {
            return null;
        }
        in.skipNBytes(3);
        int len = in.readInt();
        byte[] b = in.readNBytes(len);
        if (b.length < len) {
            throw new EOFException("a frame broke off after " + b.length + " of " + len + " bytes");
        }
        return new Frame(stream, b);
    }
}
