package dev.vessel.http;

import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The daemon's HTTP server: Jetty 12 core (no servlets) on virtual threads, one connector per {@link Listener} (the
 * unix socket, TCP with or without TLS), one handler that hands requests to each listener's {@link Router}. On TCP it
 * enforces idle, read and header timeouts, a header size limit and a connection cap; request bodies are streamed.
 * Raw upgrades (exec, attach, consoles, the CLI relay, Docker's hijack) and WebSockets go through the same routes.
 */
public final class HttpServer implements AutoCloseable {
    /** Jetty's INFO lines (its version, each connector started) are not the daemon's news; warnings are. */
    private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");

    static {
        JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final List<Listener> listeners;
    private final RequestObserver observer;
    private final List<AbstractConnector> connectors = new ArrayList<>();
    private Server server;

    public HttpServer(List<Listener> listeners, RequestObserver observer) {
        this.listeners = List.copyOf(listeners);
        this.observer = observer;
    }

    public HttpServer start() {
        var pool = new VirtualThreadPool();
        pool.setName("http");
        server = new Server(pool);
        server.setStopTimeout(1000);
        var byName = new LinkedHashMap<String, Listener>();
        var tcp = new ArrayList<Connector>();
        int cap = 0;
        try {
            for (Listener l : listeners) {
                var connector = connector(l);
                connector.setName(l.name());
                connector.setIdleTimeout(l.limits().idle().toMillis());
                server.addConnector(connector);
                connectors.add(connector);
                byName.put(l.name(), l);
                if (!l.isUnix()) {
                    tcp.add(connector);
                    cap = Math.max(cap, l.limits().maxConnections());
                }
            }
            if (!tcp.isEmpty() && cap > 0) {
                server.addBean(new NetworkConnectionLimit(cap, tcp.toArray(Connector[]::new)));
            }
            var webSockets = ServerWebSocketContainer.ensure(server);
            webSockets.setIdleTimeout(java.time.Duration.ZERO);
            // JSON answers are gzip'd for a client that asks (a browser always does): the list of a thousand
            // instances goes from about 700 KiB to about 40 KiB (bench/web).
            // Streams (events, logs), upgrades and the UI's files (gzip'd once, ahead) are left alone.
            var gzip = new org.eclipse.jetty.server.handler.gzip.GzipHandler();
            gzip.setIncludedMimeTypes("application/json", "application/problem+json");
            gzip.setMinGzipSize(1024);
            gzip.setSyncFlush(true); // a flushed part of a streamed JSON answer reaches the client at once
            gzip.setHandler(new RouterHandler(byName, observer, webSockets));
            server.setHandler(gzip);
            server.setErrorHandler(new ProblemErrorHandler());
            server.start();
            for (Listener l : listeners) {
                if (l.isUnix()) {
                    Files.setPosixFilePermissions(l.socket(), PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (Exception e) {
            close();
            throw VesselException.host("cannot start the HTTP server: " + e.getMessage(), e);
        }
        return this;
    }

    private AbstractConnector connector(Listener l) throws IOException {
        var config = new HttpConfiguration();
        config.setRequestHeaderSize(l.limits().maxHeaderBytes());
        config.setIdleTimeout(l.limits().read().toMillis());
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        var http = new DockerReasonConnectionFactory(config);
        if (l.isUnix()) {
            Files.createDirectories(l.socket().getParent());
            Files.deleteIfExists(l.socket()); // a stale socket of an earlier daemon
            var unix = new UnixDomainServerConnector(server, 1, 1, http);
            unix.setUnixDomainPath(l.socket());
            unix.setAcceptQueueSize(512);
            return unix;
        }
        ConnectionFactory[] factories = {http};
        if (l.tls() != null) {
            var ssl = new SslContextFactory.Server();
            ssl.setSslContext(
                    ClientCertificates.serverContext(l.tls().keystore(), l.tls().password()));
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            // A client may log in with a certificate (the access layer checks it against its trust store by
            // fingerprint), so the handshake asks for one, accepts any, and goes on without.
            ssl.setWantClientAuth(true);
            var secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // which names the certificate must carry is the access layer's business
            config.addCustomizer(secure);
            var tls = new SslConnectionFactory(ssl, "http/1.1");
            String where = l.address().substring("tls://".length());
            factories = new ConnectionFactory[] {new PlainHttpRefusal(tls, where), tls, http};
        }
        var connector = new ServerConnector(server, 1, 1, factories);
        connector.open(l.channel());
        return connector;
    }

    public List<Listener> listeners() {
        return listeners;
    }

    /** Open client connections, for leak checks. */
    public int openConnections() {
        return connectors.stream()
                .mapToInt(c -> c.getConnectedEndPoints().size())
                .sum();
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                System.getLogger(HttpServer.class.getName())
                        .log(System.Logger.Level.DEBUG, "stopping the HTTP server: " + e.getMessage());
            }
        }
        for (Listener l : listeners) {
            try {
                if (l.channel() != null) {
                    l.channel().close();
                }
            } catch (IOException e) {
                // closed already
            }
        }
    }
}
