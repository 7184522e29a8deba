package dev.vessel.http;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small HTTP/1.1 server on JDK socket channels, one virtual thread per connection. It serves unix-domain and TCP
 * listeners alike, which Helidon SE 4 cannot (it has no unix-socket transport); see docs/architecture.md.
 */
public final class HttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    private static final long MAX_BODY = 4L << 20;

    private final List<Listener> listeners;
    private final RequestObserver observer;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final List<Thread> acceptors = new ArrayList<>();
    private volatile boolean closed;

    public HttpServer(List<Listener> listeners, RequestObserver observer) {
        this.listeners = List.copyOf(listeners);
        this.observer = observer;
    }

    public HttpServer start() {
        for (Listener l : listeners) {
            acceptors.add(Thread.ofVirtual().name("accept-" + l.name()).start(() -> acceptLoop(l)));
        }
        return this;
    }

    public List<Listener> listeners() {
        return listeners;
    }

    /** Open client connections, for leak checks. */
    public int openConnections() {
        return open.size();
    }

    private void acceptLoop(Listener l) {
        while (!closed) {
            try {
                SocketChannel ch = l.channel().accept();
                if (ch.getRemoteAddress() instanceof java.net.InetSocketAddress) {
                    // every answer is written whole and flushed: Nagle would only hold its last segment back until
                    // the client's delayed ACK (40 ms) arrives
                    ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                }
                open.add(ch);
                Thread.ofVirtual().name("http-" + l.name()).start(() -> serve(l, ch));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "accept failed on " + l.address() + ": " + e.getMessage());
                }
            }
        }
    }

    private void serve(Listener l, SocketChannel ch) {
        try (ch) {
            InputStream in = new BufferedInputStream(ChannelStreams.in(ch), 16 * 1024);
            OutputStream out = new BufferedOutputStream(ChannelStreams.out(ch), 16 * 1024);
            boolean keepAlive = true;
            while (keepAlive && !closed) {
                HttpWire.Head head;
                byte[] body;
                try {
                    head = HttpWire.readHead(in);
                    if (head == null) {
                        return;
                    }
                    body = HttpWire.readBody(in, head, MAX_BODY);
                } catch (HttpWire.BodyTooLarge e) {
                    writeFull(out, Problems.of(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage(), Map.of(), null), false);
                    return;
                } catch (HttpWire.MalformedHttp e) {
                    writeFull(out, Problems.of(ProblemType.INVALID_INPUT, "malformed HTTP request: " + e.getMessage(), Map.of(), null), false);
                    return;
                }
                keepAlive = !"close".equalsIgnoreCase(head.header("Connection"));
                keepAlive = handleOne(l, head, body, in, out, keepAlive);
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } finally {
            open.remove(ch);
        }
    }

    private boolean handleOne(Listener l, HttpWire.Head head, byte[] body, InputStream in, OutputStream out, boolean keepAlive)
            throws IOException {
        long t0 = System.nanoTime();
        String[] parts = head.startLine().split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            writeFull(out, Problems.of(ProblemType.INVALID_INPUT, "malformed request line", Map.of(), null), false);
            return false;
        }
        HttpResponse response;
        HttpRequest request = null;
        try {
            request = HttpRequest.of(parts[0], parts[1], head.headers(), body, l.name());
            if (!l.authorized(request)) {
                throw new VesselException(ProblemType.UNAUTHORIZED, "a valid bearer token is required on " + l.address());
            }
            response = l.router().dispatch(request);
        } catch (VesselException e) {
            response = Problems.of(e, request == null ? null : request.path());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = Problems.of(ProblemType.UNAVAILABLE, "the daemon is shutting down", Map.of(), null);
            keepAlive = false;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "unhandled error on " + head.startLine(), e);
            response = Problems.of(ProblemType.INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage(), Map.of(), null);
        }
        String path = request == null ? parts[1] : request.path();
        boolean head0 = parts[0].equals("HEAD");
        switch (response) {
            case HttpResponse.Full f -> writeFull(out, head0 ? new HttpResponse.Full(f.status(), f.contentType(), new byte[0], f.headers()) : f, keepAlive);
            case HttpResponse.Streaming s -> writeStreaming(out, s);
            case HttpResponse.Upgrade u -> {
                observer.observe(l.name(), parts[0], path, 101, System.nanoTime() - t0);
                var h = new LinkedHashMap<String, String>();
                h.put("Connection", "Upgrade");
                h.put("Upgrade", u.protocol());
                HttpWire.writeHead(out, "HTTP/1.1 101 Switching Protocols", h);
                out.flush();
                try {
                    u.handler().run(in, out);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
        }
        observer.observe(l.name(), parts[0], path, response.status(), System.nanoTime() - t0);
        return keepAlive;
    }

    private static void writeFull(OutputStream out, HttpResponse.Full f, boolean keepAlive) throws IOException {
        var h = new LinkedHashMap<String, String>();
        if (f.contentType() != null) {
            h.put("Content-Type", f.contentType());
        }
        h.put("Content-Length", Integer.toString(f.body().length));
        if (!keepAlive) {
            h.put("Connection", "close");
        }
        h.putAll(f.headers());
        HttpWire.writeHead(out, "HTTP/1.1 " + f.status() + " " + reason(f.status()), h);
        out.write(f.body());
        out.flush();
    }

    private static void writeStreaming(OutputStream out, HttpResponse.Streaming s) throws IOException {
        var h = new LinkedHashMap<String, String>();
        h.put("Content-Type", s.contentType());
        h.put("Transfer-Encoding", "chunked");
        h.put("Cache-Control", "no-cache");
        HttpWire.writeHead(out, "HTTP/1.1 " + s.status() + " " + reason(s.status()), h);
        out.flush();
        var chunked = new HttpWire.ChunkedOutputStream(out);
        try {
            s.writer().write(chunked);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        chunked.finish();
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    @Override
    public void close() {
        closed = true;
        for (Listener l : listeners) {
            try {
                l.channel().close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + l.address() + ": " + e.getMessage());
            }
        }
        for (SocketChannel ch : open) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a connection: " + e.getMessage());
            }
        }
    }
}
