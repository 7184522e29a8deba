package dev.vessel.http;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A request's body as it arrives: a handler streams it ({@link #stream}, an image upload, never held in memory) or
 * takes it whole ({@link #bytes}, a JSON document, at most {@link #MAX_BUFFERED} bytes, else 413).
 */
public final class RequestBody {
    /** The most a handler may take whole; larger bodies are streamed. */
    public static final int MAX_BUFFERED = 4 << 20;

    private static final RequestBody EMPTY = new RequestBody(InputStream.nullInputStream(), 0);

    private final InputStream in;
    private final long declaredLength;
    private byte[] bytes;
    private boolean streamed;

    private RequestBody(InputStream in, long declaredLength) {
        this.in = in;
        this.declaredLength = declaredLength;
    }

    public static RequestBody of(byte[] body) {
        if (body == null || body.length == 0) {
            return EMPTY;
        }
        var b = new RequestBody(new ByteArrayInputStream(body), body.length);
        b.bytes = body;
        return b;
    }

    /** @param declaredLength the Content-Length, or -1 for a chunked body */
    public static RequestBody of(InputStream in, long declaredLength) {
        return declaredLength == 0 ? EMPTY : new RequestBody(in, declaredLength);
    }

    /** The Content-Length the client declared, or -1 for a chunked body. */
    public long declaredLength() {
        return declaredLength;
    }

    /** The whole body (read on first call); 413 when it is larger than {@link #MAX_BUFFERED}. */
    public synchronized byte[] bytes() {
        if (bytes != null) {
            return bytes;
        }
        if (streamed) {
            throw new IllegalStateException("the body was streamed already");
        }
        if (declaredLength > MAX_BUFFERED) {
            throw tooLarge();
        }
        try {
            byte[] b = in.readNBytes(MAX_BUFFERED + 1);
            if (b.length > MAX_BUFFERED) {
                throw tooLarge();
            }
            bytes = b;
            return b;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** The body as it arrives, once. */
    public synchronized InputStream stream() {
        if (bytes != null) {
            return new ByteArrayInputStream(bytes);
        }
        if (streamed) {
            throw new IllegalStateException("the body was streamed already");
        }
        streamed = true;
        return in;
    }

    /** True when the client sent no body at all (without reading a streamed one). */
    public boolean isEmpty() {
        return declaredLength == 0 || (bytes != null && bytes.length == 0);
    }

    static VesselException unreadable(IOException e) {
        return new VesselException(
                ProblemType.REQUEST_TIMEOUT, "the request body did not arrive: " + e.getMessage(), Map.of(), e);
    }

    private static VesselException tooLarge() {
        return new VesselException(
                ProblemType.PAYLOAD_TOO_LARGE,
                "the request body is larger than " + (MAX_BUFFERED >> 20) + " MiB",
                Map.of("limit", MAX_BUFFERED),
                null);
    }
}
