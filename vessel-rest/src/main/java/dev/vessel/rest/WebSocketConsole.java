package dev.vessel.rest;

import dev.vessel.engine.service.Consoles;
import dev.vessel.http.WebSocketHandler;
import dev.vessel.http.WebSocketSession;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A serial console over a WebSocket, for xterm.js: binary frames carry the bytes both ways; text frames are control
 * messages (JSON, such as xterm.js's {@code {"resize":[cols,rows]}}), which a serial line has no use for and which
 * are never typed into the guest. The console session runs on a virtual thread of its own from open to close. A
 * container's attach uses it too, where a resize message sets the size of the container's terminal.
 */
final class WebSocketConsole implements WebSocketHandler {
    private final Consoles.Session console;
    private final Resize resize;
    private final TypedBytes typed = new TypedBytes();

    /** What a resize message does: nothing for a serial line. */
    @FunctionalInterface
    interface Resize {
        void to(int rows, int cols);
    }

    WebSocketConsole(Consoles.Session console) {
        this(console, (rows, cols) -> {});
    }

    WebSocketConsole(Consoles.Session console, Resize resize) {
        this.console = console;
        this.resize = resize;
    }

    @Override
    public void onText(WebSocketSession ws, String text) {
        var size = WebSocketExec.size(text);
        if (size != null) {
            try {
                resize.to(size[0], size[1]);
            } catch (RuntimeException e) {
                // no terminal, or it just ended: the size stays
            }
        }
    }

    @Override
    public void onOpen(WebSocketSession ws) {
        Thread.ofVirtual().name("ws-console").start(() -> {
            try (console) {
                console.join(typed, new Frames(ws));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (ws.isOpen()) {
                    ws.close(1000, "the console ended");
                }
            }
        });
    }

    @Override
    public void onBinary(WebSocketSession ws, ByteBuffer data) throws InterruptedException {
        typed.put(data);
    }

    @Override
    public void onClose(int code, String reason) {
        typed.end();
    }

    @Override
    public void onError(Throwable failure) {
        typed.end();
    }

    /** The console's output as binary frames, one per write. */
    private static final class Frames extends OutputStream {
        private final WebSocketSession ws;

        Frames(WebSocketSession ws) {
            this.ws = ws;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!ws.isOpen()) {
                throw new IOException("the browser went away");
            }
            ws.sendBinary(ByteBuffer.wrap(b.clone(), off, len));
        }
    }
}
