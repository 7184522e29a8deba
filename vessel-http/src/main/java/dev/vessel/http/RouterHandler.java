package dev.vessel.http;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The one Jetty handler: turns a Jetty request into an {@link HttpRequest} (its body streamed, not buffered), checks
 * the caller with the listener's {@link Guard}, dispatches to the listener's {@link Router}, and writes what the route answers. A blocking
 * handler: Jetty calls it on a virtual thread.
 */
final class RouterHandler extends org.eclipse.jetty.server.Handler.Abstract {
    private static final System.Logger LOG = System.getLogger(RouterHandler.class.getName());

    private final Map<String, dev.vessel.http.Listener> listeners;
    private final RequestObserver observer;
    private final ServerWebSocketContainer webSockets;

    RouterHandler(
            Map<String, dev.vessel.http.Listener> listeners,
            RequestObserver observer,
            ServerWebSocketContainer webSockets) {
        this.listeners = listeners;
        this.observer = observer;
        this.webSockets = webSockets;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long t0 = System.nanoTime();
        dev.vessel.http.Listener l =
                listeners.get(request.getConnectionMetaData().getConnector().getName());
        String method = request.getMethod();
        HttpRequest req = null;
        HttpResponse answer;
        try {
            var headers = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
            for (HttpField f : request.getHeaders()) {
                headers.merge(f.getName(), f.getValue(), (a, b) -> a + ", " + b);
            }
            var body = RequestBody.of(Content.Source.asInputStream(request), request.getLength());
            req = HttpRequest.of(method, request.getHttpURI().getPathQuery(), headers, body, l.name())
                    .withRemote(remote(request))
                    .withClientCertificate(clientCertificate(request));
            req = req.withCaller(l.guard().authenticate(req));
            answer = l.router().dispatch(req, l.guard()::admit);
        } catch (VesselException e) {
            answer = l.router().error(e, req == null ? null : req.path());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer =
                    l.router().error(new VesselException(ProblemType.UNAVAILABLE, "the daemon is shutting down"), null);
        } catch (Exception e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "unhandled error on " + method + " " + request.getHttpURI().getPath(),
                    e);
            answer = l.router()
                    .error(
                            new VesselException(
                                    ProblemType.INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage()),
                            null);
        }
        // A whole answer is recorded (the audit log) before it goes out, so a client that reads the log next sees its
        // call there; a stream or an upgrade is recorded once it ends.
        int status;
        if (answer instanceof HttpResponse.Full f) {
            completed(l, req, f.status(), answer);
            status = send(request, response, callback, answer, method.equals("HEAD"));
        } else {
            status = send(request, response, callback, answer, method.equals("HEAD"));
            completed(l, req, status, answer);
        }
        observer.observe(
                l.name(),
                method,
                req == null ? request.getHttpURI().getPath() : req.path(),
                status,
                System.nanoTime() - t0);
        return true;
    }

    /** The fingerprint of the client's certificate, if it showed one in the TLS handshake. */
    private static String clientCertificate(Request request) {
        if (request.getAttribute(org.eclipse.jetty.io.EndPoint.SslSessionData.ATTRIBUTE)
                        instanceof org.eclipse.jetty.io.EndPoint.SslSessionData ssl
                && ssl.peerCertificates() != null
                && ssl.peerCertificates().length > 0) {
            return PinnedTrust.fingerprint(ssl.peerCertificates()[0]);
        }
        return null;
    }

    private static String remote(Request request) {
        var a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof java.net.InetSocketAddress i ? i.getAddress().getHostAddress() : "local";
    }

    /** Writes the answer; returns the status sent. */
    private static void completed(dev.vessel.http.Listener l, HttpRequest req, int status, HttpResponse answer) {
        if (req == null) {
            return;
        }
        try {
            l.guard().completed(req, status, answer);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "recording " + req.method() + " " + req.path() + ": " + e, e);
        }
    }

    private int send(Request request, Response response, Callback callback, HttpResponse answer, boolean head) {
        return switch (answer) {
            case HttpResponse.Full f -> {
                full(response, callback, f, head);
                yield f.status();
            }
            case HttpResponse.Streaming s -> {
                stream(request, response, callback, s);
                yield s.status();
            }
            case HttpResponse.Upgrade u -> upgrade(request, response, callback, u);
            case HttpResponse.WebSocket w -> webSocket(request, response, callback, w);
        };
    }

    private static void full(Response response, Callback callback, HttpResponse.Full f, boolean head) {
        response.setStatus(f.status());
        if (f.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, f.contentType());
        }
        f.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, f.body().length);
        response.write(true, head || f.body().length == 0 ? null : ByteBuffer.wrap(f.body()), callback);
    }

    /**
     * Chunked, written as the writer produces it. A stream may be quiet for long (an event stream between events), so
     * the connection's idle timeout is off while it runs; a client that went away shows as an IOException on write.
     */
    private static void stream(Request request, Response response, Callback callback, HttpResponse.Streaming s) {
        response.setStatus(s.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, s.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        var endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        long idle = endPoint.getIdleTimeout();
        endPoint.setIdleTimeout(0);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            s.writer().write(out);
        } catch (IOException e) {
            callback.failed(e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
            return;
        } finally {
            endPoint.setIdleTimeout(idle);
        }
        callback.succeeded();
    }

    private static int upgrade(Request request, Response response, Callback callback, HttpResponse.Upgrade u) {
        var connection = request.getConnectionMetaData().getConnection();
        if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_1_1
                || !(connection instanceof Connection.UpgradeFrom)) {
            full(
                    response,
                    callback,
                    Problems.of(ProblemType.INVALID_INPUT, "an upgrade needs HTTP/1.1", Map.of(), null),
                    false);
            return 400;
        }
        response.setStatus(101);
        u.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
        response.getHeaders().put(HttpHeader.UPGRADE, u.protocol());
        request.setAttribute(
                HttpStream.UPGRADE_CONNECTION_ATTRIBUTE,
                new RawConnection(
                        connection.getEndPoint(), request.getComponents().getExecutor(), u.handler()));
        response.write(true, null, callback);
        return 101;
    }

    private int webSocket(Request request, Response response, Callback callback, HttpResponse.WebSocket w) {
        try {
            if (webSockets.upgrade((rq, rs, cb) -> new JettyWebSocket(w.handler()), request, response, callback)) {
                return 101;
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket handshake failed: " + e.getMessage());
        }
        full(
                response,
                callback,
                Problems.of(ProblemType.INVALID_INPUT, "this route speaks WebSocket only", Map.of(), null),
                false);
        return 400;
    }
}
