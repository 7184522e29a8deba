package dev.vessel.http;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/1.1 client for the daemon's API over its unix socket or TCP listener. The JDK's HttpClient cannot speak over
 * a unix socket, so the CLI and the tests use this. One connection per call keeps it simple and cheap on a local
 * socket.
 */
public final class ApiClient {
    private final String endpoint;
    private final String token;
    private final SSLContext tls;
    private final String project;

    /** {@code endpoint} is {@code unix:///path/to.sock}, {@code tcp://host:port} or {@code https://host:port}. */
    public ApiClient(String endpoint, String token) {
        this(endpoint, token, null);
    }

    /** @param tls what an https endpoint is trusted by (see {@link PinnedTrust}); null for the JDK's default CAs */
    public ApiClient(String endpoint, String token, SSLContext tls) {
        this(endpoint, token, tls, null);
    }

    private ApiClient(String endpoint, String token, SSLContext tls, String project) {
        this.endpoint = endpoint;
        this.token = token;
        this.tls = tls;
        this.project = project;
    }

    /** This client for {@code project}: every request names it in {@value HttpRequest#PROJECT_HEADER}. */
    public ApiClient inProject(String project) {
        return new ApiClient(endpoint, token, tls, project);
    }

    /** The project the requests are for, or null for the default one. */
    public String project() {
        return project;
    }

    /** The raw connection under a stream: close it, or end only our side (half-close after stdin's EOF). */
    public interface Link extends java.io.Closeable {
        void shutdownOutput() throws IOException;
    }

    private record Conn(InputStream in, OutputStream out, Link link) {}

    public static ApiClient unix(Path socket) {
        return new ApiClient("unix://" + socket, null);
    }

    public String endpoint() {
        return endpoint;
    }

    /** A whole response. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** A response whose body is read as it arrives. Close it to drop the connection. */
    public record Stream(int status, Map<String, String> headers, InputStream body, Link channel)
            implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A connection switched to a raw byte stream (the console). */
    public record Upgraded(InputStream in, OutputStream out, Link channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    public Response call(String method, String path, byte[] jsonBody) {
        Conn c;
        try {
            c = connect();
        } catch (IOException e) {
            throw unreachable(e);
        }
        try (Link ch = c.link()) {
            var in = new BufferedInputStream(c.in(), 16 * 1024);
            var out = new BufferedOutputStream(c.out(), 16 * 1024);
            try {
                send(out, method, path, jsonBody, Map.of("Connection", "close"));
            } catch (IOException e) {
                // The server may answer before it has read the whole body (413) and close; its answer still counts.
                if (!in.markSupported() || in.available() == 0) {
                    var early = tryReadHead(in);
                    if (early == null) {
                        throw e;
                    }
                    return new Response(early.status, early.head.headers(), HttpWire.readBody(in, early.head, 1 << 20));
                }
            }
            var head = readHead(in);
            byte[] body = "HEAD".equals(method) ? new byte[0] : HttpWire.readBody(in, head.head, Long.MAX_VALUE >>> 1);
            return new Response(head.status, head.head.headers(), body);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    public Stream stream(String method, String path) {
        return stream(method, path, Map.of());
    }

    /** A streamed response, with extra request headers (e.g. {@code Accept}, {@code Last-Event-ID}). */
    public Stream stream(String method, String path, Map<String, String> headers) {
        Link ch = null;
        try {
            Conn c = connect();
            ch = c.link();
            var in = new BufferedInputStream(c.in(), 16 * 1024);
            var out = new BufferedOutputStream(c.out(), 16 * 1024);
            var h = new java.util.LinkedHashMap<String, String>(headers);
            h.put("Connection", "close");
            send(out, method, path, null, h);
            var head = readHead(in);
            String te = head.head.header("Transfer-Encoding");
            // Chunked, a fixed length, or (HTTP/1.1 with Connection: close) until the server closes.
            InputStream body = te != null && te.contains("chunked")
                    ? new HttpWire.ChunkedInputStream(in)
                    : head.head.header("Content-Length") == null
                            ? in
                            : new java.io.ByteArrayInputStream(HttpWire.readBody(in, head.head, 64L << 20));
            return new Stream(head.status, head.head.headers(), body, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw unreachable(e);
        }
    }

    /** Asks for a protocol switch; returns the raw stream on 101, or the error response. */
    public Object upgrade(String path, String protocol) {
        Link ch = null;
        try {
            Conn c = connect();
            ch = c.link();
            var in = new BufferedInputStream(c.in(), 16 * 1024);
            OutputStream raw = c.out();
            var h = new LinkedHashMap<String, String>();
            h.put("Connection", "Upgrade");
            h.put("Upgrade", protocol);
            send(new BufferedOutputStream(raw), "GET", path, null, h);
            var head = readHead(in);
            if (head.status != 101) {
                byte[] body = HttpWire.readBody(in, head.head, 1 << 20);
                ch.close();
                return new Response(head.status, head.head.headers(), body);
            }
            return new Upgraded(in, raw, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw unreachable(e);
        }
    }

    private record StatusHead(int status, HttpWire.Head head) {}

    private StatusHead tryReadHead(InputStream in) {
        try {
            return readHead(in);
        } catch (IOException e) {
            return null;
        }
    }

    private StatusHead readHead(InputStream in) throws IOException {
        var head = HttpWire.readHead(in);
        if (head == null) {
            throw new IOException("the daemon closed the connection without answering");
        }
        String[] parts = head.startLine().split(" ", 3);
        if (parts.length < 2) {
            throw new IOException("bad status line: " + head.startLine());
        }
        return new StatusHead(Integer.parseInt(parts[1]), head);
    }

    private void send(OutputStream out, String method, String path, byte[] body, Map<String, String> extra)
            throws IOException {
        var h = new LinkedHashMap<String, String>();
        h.put("Host", "vessel");
        h.put("User-Agent", "vessel-cli");
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        if (project != null) {
            h.put(HttpRequest.PROJECT_HEADER, project);
        }
        if (body != null) {
            h.put("Content-Type", "application/json");
            h.put("Content-Length", Integer.toString(body.length));
        }
        h.putAll(extra);
        HttpWire.writeHead(out, method + " " + path + " HTTP/1.1", h);
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    private Conn connect() throws IOException {
        if (endpoint.startsWith("unix://")) {
            var ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(endpoint.substring("unix://".length())));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return channel(ch);
        }
        if (endpoint.startsWith("tcp://")) {
            var a = hostPort(endpoint.substring("tcp://".length()));
            return channel(SocketChannel.open(a));
        }
        if (endpoint.startsWith("https://")) {
            var a = hostPort(endpoint.substring("https://".length()).replaceAll("/+$", ""));
            SSLContext ctx;
            try {
                ctx = tls != null ? tls : SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            var socket = (SSLSocket) ctx.getSocketFactory().createSocket(a.getHostString(), a.getPort());
            try {
                if (tls == null) {
                    var p = socket.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(p);
                }
                socket.startHandshake();
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            return new Conn(socket.getInputStream(), socket.getOutputStream(), new Link() {
                @Override
                public void shutdownOutput() throws IOException {
                    socket.shutdownOutput();
                }

                @Override
                public void close() throws IOException {
                    socket.close();
                }
            });
        }
        throw VesselException.invalid(
                "endpoint", "'" + endpoint + "' is neither unix:///path, https://host:port nor tcp://host:port");
    }

    private static InetSocketAddress hostPort(String hp) {
        int colon = hp.lastIndexOf(':');
        if (colon < 0) {
            throw VesselException.invalid("endpoint", "'" + hp + "' has no port");
        }
        String host = hp.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InetSocketAddress(host, Integer.parseInt(hp.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw VesselException.invalid("endpoint", "'" + hp + "' is not host:port");
        }
    }

    private static Conn channel(SocketChannel ch) {
        return new Conn(ChannelStreams.in(ch), ChannelStreams.out(ch), new Link() {
            @Override
            public void shutdownOutput() throws IOException {
                ch.shutdownOutput();
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        });
    }

    private VesselException unreachable(IOException e) {
        return new VesselException(
                ProblemType.UNAVAILABLE,
                "cannot reach the Vessel daemon at " + endpoint + ": " + e.getMessage()
                        + " (is `vessel daemon` running?)",
                Map.of(),
                e);
    }

    private static void closeQuietly(Link ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to do with a connection we are abandoning
            }
        }
    }
}
