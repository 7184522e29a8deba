package dev.vessel.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** Jetty's WebSocket endpoint for a {@link WebSocketHandler}: messages are delivered one at a time, sends block. Public only
 * because Jetty reaches its listener methods through method handles. */
public final class JettyWebSocket implements Session.Listener.AutoDemanding, WebSocketSession {
    private static final System.Logger LOG = System.getLogger(JettyWebSocket.class.getName());

    private final WebSocketHandler handler;
    private volatile Session session;

    JettyWebSocket(WebSocketHandler handler) {
        this.handler = handler;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        run(() -> handler.onOpen(this));
    }

    @Override
    public void onWebSocketText(String message) {
        run(() -> handler.onText(this, message));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            handler.onBinary(this, payload);
            callback.succeed();
        } catch (Exception e) {
            callback.fail(e);
            failed(e);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        handler.onClose(statusCode, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        handler.onError(cause);
    }

    @Override
    public void sendText(String text) throws IOException {
        block(cb -> session.sendText(text, cb));
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException {
        block(cb -> session.sendBinary(data, cb));
    }

    @Override
    public void close(int code, String reason) {
        var s = session;
        if (s != null) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    @Override
    public boolean isOpen() {
        var s = session;
        return s != null && s.isOpen();
    }

    private interface Step {
        void run() throws Exception;
    }

    private void run(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failed(e);
        }
    }

    private void failed(Exception e) {
        LOG.log(System.Logger.Level.WARNING, "WebSocket handler failed: " + e.getMessage());
        close(1011, "server error");
    }

    private static void block(java.util.function.Consumer<Callback> send) throws IOException {
        var done = new Callback.Completable();
        send.accept(done);
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("WebSocket send failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
