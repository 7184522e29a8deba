package dev.vessel.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.engine.service.Containers;
import dev.vessel.host.Json;
import dev.vessel.http.WebSocketHandler;
import dev.vessel.http.WebSocketSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A command in a container over a WebSocket, for xterm.js. Binary frames carry the terminal's bytes both ways; the
 * browser's text frames are control messages ({@code {"resize":[cols,rows]}}, which resizes the exec's pty); the
 * daemon's one text frame is the end, {@code {"exit":CODE}}, after which it closes the socket. Closing the socket ends
 * the command, as closing a terminal does.
 */
final class WebSocketExec implements WebSocketHandler {
    private static final Duration MAX = Duration.ofDays(7);

    private final Containers.Exec exec;
    private final TypedBytes typed = new TypedBytes();

    WebSocketExec(Containers.Exec exec) {
        this.exec = exec;
    }

    @Override
    public void onOpen(WebSocketSession ws) {
        Thread.ofVirtual().name("ws-exec").start(() -> run(ws));
    }

    private void run(WebSocketSession ws) {
        Thread out = Thread.ofVirtual().start(() -> copy(exec.stdout(), ws));
        Thread err = Thread.ofVirtual().start(() -> copy(exec.stderr(), ws));
        Thread in = Thread.ofVirtual().start(this::feed);
        try {
            exec.await(MAX);
            out.join();
            err.join();
            if (ws.isOpen()) {
                if (exec.failure().isPresent()) {
                    send(ws, ("vessel: " + exec.failure().get() + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
                ws.sendText("{\"exit\":" + exec.exitCode() + "}");
                ws.close(1000, "the command ended");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the browser went away
        } finally {
            in.interrupt();
            if (exec.alive()) {
                exec.destroy();
            }
        }
    }

    /** What the browser typed, to the command's stdin, until the socket closes; then the command ends. */
    private void feed() {
        try (OutputStream stdin = exec.stdin()) {
            byte[] b = new byte[8192];
            int n;
            while ((n = typed.read(b, 0, b.length)) > 0) {
                stdin.write(b, 0, n);
                stdin.flush();
            }
        } catch (IOException e) {
            // the command ended
        }
        if (!Thread.currentThread().isInterrupted() && exec.alive()) {
            exec.destroy();
        }
    }

    private static void copy(InputStream from, WebSocketSession ws) {
        byte[] b = new byte[16 * 1024];
        try (from) {
            int n;
            while ((n = from.read(b)) > 0) {
                send(ws, java.util.Arrays.copyOf(b, n));
            }
        } catch (IOException e) {
            // the browser or the command went away
        }
    }

    private static void send(WebSocketSession ws, byte[] b) throws IOException {
        if (!ws.isOpen()) {
            throw new IOException("the browser went away");
        }
        ws.sendBinary(ByteBuffer.wrap(b));
    }

    @Override
    public void onBinary(WebSocketSession ws, ByteBuffer data) throws InterruptedException {
        typed.put(data);
    }

    @Override
    public void onText(WebSocketSession ws, String text) {
        int[] size = size(text);
        if (size != null) {
            Thread.ofVirtual().name("ws-exec-resize").start(() -> resize(size[0], size[1]));
        }
    }

    /** A resize message's rows and columns ({@code {"resize":[cols,rows]}}, xterm.js's order), else null. */
    static int[] size(String text) {
        JsonNode m;
        try {
            m = Json.tree(text);
        } catch (RuntimeException e) {
            return null; // not a control message: ignored, never typed
        }
        JsonNode size = m.path("resize");
        if (!size.isArray()
                || size.size() != 2
                || !size.get(0).canConvertToInt()
                || !size.get(1).canConvertToInt()) {
            return null;
        }
        int cols = size.get(0).asInt();
        int rows = size.get(1).asInt();
        return cols < 1 || cols > 1000 || rows < 1 || rows > 1000 ? null : new int[] {rows, cols};
    }

    /** Resizes; a pty not there yet (the message came as the command starts) is tried again for a moment. */
    private void resize(int rows, int cols) {
        for (int attempt = 0; attempt < 20 && exec.alive(); attempt++) {
            try {
                exec.resize(rows, cols);
                return;
            } catch (VesselException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void onClose(int code, String reason) {
        typed.end();
    }

    @Override
    public void onError(Throwable failure) {
        typed.end();
    }
}
