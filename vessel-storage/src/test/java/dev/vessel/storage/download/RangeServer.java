package dev.vessel.storage.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A file server on 127.0.0.1 with Range, If-Range and a strong ETag, that can be told to drop the connection part-way
 * through a body, as a flaky network would.
 */
final class RangeServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    volatile byte[] content;
    volatile String etag = "\"v1\"";
    /** Stop after this many body bytes of the next response (then never again); -1 = never. */
    final AtomicLong cutAfter = new AtomicLong(-1);

    volatile boolean honourRanges = true;
    final List<String> ranges = new CopyOnWriteArrayList<>();

    RangeServer(byte[] content) throws IOException {
        this.content = content;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/disk.img", this::serve);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/disk.img");
    }

    private void serve(HttpExchange ex) throws IOException {
        byte[] c = content;
        String range = ex.getRequestHeaders().getFirst("Range");
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        ranges.add(range == null ? "-" : range);
        long from = 0;
        int status = 200;
        if (range != null && honourRanges && (ifRange == null || ifRange.equals(etag))) {
            var m = RANGE.matcher(range);
            if (m.matches()) {
                from = Long.parseLong(m.group(1));
                if (from >= c.length) {
                    ex.getResponseHeaders().add("Content-Range", "bytes */" + c.length);
                    ex.sendResponseHeaders(416, -1);
                    ex.close();
                    return;
                }
                status = 206;
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (c.length - 1) + "/" + c.length);
            }
        }
        ex.getResponseHeaders().add("ETag", etag);
        long length = c.length - from;
        ex.sendResponseHeaders(status, length);
        long cut = cutAfter.getAndSet(-1);
        try (OutputStream out = ex.getResponseBody()) {
            long n = cut >= 0 ? Math.min(cut, length) : length;
            out.write(c, (int) from, (int) n);
            out.flush();
            if (n < length) {
                // Drop the connection in the middle of the body.
                throw new IOException("cut");
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
