package dev.vessel.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** HTTP/1.1 framing shared by the server and the client: heads, fixed and chunked bodies. */
public final class HttpWire {
    static final int MAX_HEAD = 64 * 1024;

    private HttpWire() {}

    /** A request or status line with its headers. */
    public record Head(String startLine, Map<String, String> headers) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    /** Reads a head; null on a clean end of stream before the first byte. */
    public static Head readHead(InputStream in) throws IOException {
        String start = readLine(in, true);
        if (start == null) {
            return null;
        }
        var headers = new LinkedHashMap<String, String>();
        int total = start.length();
        while (true) {
            String line = readLine(in, false);
            if (line == null) {
                throw new MalformedHttp("connection closed inside the headers");
            }
            if (line.isEmpty()) {
                break;
            }
            total += line.length();
            if (total > MAX_HEAD) {
                throw new MalformedHttp("headers larger than " + MAX_HEAD + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedHttp("bad header line");
            }
            headers.merge(
                    line.substring(0, colon).trim(), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        return new Head(start, headers);
    }

    private static String readLine(InputStream in, boolean eofOk) throws IOException {
        var buf = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] b = buf.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            buf.write(c);
            if (buf.size() > MAX_HEAD) {
                throw new MalformedHttp("line longer than " + MAX_HEAD + " bytes");
            }
        }
        if (buf.size() == 0 && eofOk) {
            return null;
        }
        throw new MalformedHttp("connection closed mid-line");
    }

    /**
     * Reads a response body framed by Content-Length or chunked encoding, or (neither given, on a connection the
     * client asked to close) by the end of the stream; refuses more than {@code limit} bytes.
     */
    public static byte[] readBody(InputStream in, Head head, long limit) throws IOException {
        String te = head.header("Transfer-Encoding");
        if (te != null && te.toLowerCase().contains("chunked")) {
            var out = new ByteArrayOutputStream();
            var chunks = new ChunkedInputStream(in);
            byte[] b = new byte[8192];
            int n;
            while ((n = chunks.read(b)) >= 0) {
                out.write(b, 0, n);
                if (out.size() > limit) {
                    throw new BodyTooLarge(limit);
                }
            }
            return out.toByteArray();
        }
        String cl = head.header("Content-Length");
        if (cl == null) {
            byte[] all = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (all.length > limit) {
                throw new BodyTooLarge(limit);
            }
            return all;
        }
        long len;
        try {
            len = Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            throw new MalformedHttp("bad Content-Length");
        }
        if (len < 0) {
            throw new MalformedHttp("bad Content-Length");
        }
        if (len > limit) {
            throw new BodyTooLarge(limit);
        }
        byte[] body = in.readNBytes((int) len);
        if (body.length != len) {
            throw new MalformedHttp("body shorter than Content-Length");
        }
        return body;
    }

    public static void writeHead(OutputStream out, String startLine, Map<String, String> headers) throws IOException {
        var sb = new StringBuilder(256).append(startLine).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A malformed message; the server answers 400 and closes. */
    public static class MalformedHttp extends IOException {
        public MalformedHttp(String message) {
            super(message);
        }
    }

    public static final class BodyTooLarge extends MalformedHttp {
        public BodyTooLarge(long limit) {
            super("body larger than " + limit + " bytes");
        }
    }

    /** Decodes a chunked body. */
    public static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;
        private boolean done;

        public ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (remaining == 0) {
                String size = readLine(in, false);
                int semi = size.indexOf(';');
                try {
                    remaining = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new MalformedHttp("bad chunk size");
                }
                if (remaining == 0) {
                    while (!readLine(in, false).isEmpty()) {
                        // trailers are ignored
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new MalformedHttp("connection closed inside a chunk");
            }
            remaining -= n;
            if (remaining == 0) {
                readLine(in, false);
            }
            return n;
        }
    }

    /** Encodes a chunked body; each flush sends what was written so far as one chunk. */
    public static final class ChunkedOutputStream extends OutputStream {
        private final OutputStream out;

        public ChunkedOutputStream(OutputStream out) {
            this.out = out;
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
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(b, off, len);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        /** Ends the body; the connection stays usable. */
        public void finish() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }
}
