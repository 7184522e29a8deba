package dev.vessel.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a handler answers: a whole body, a stream written as it is produced, a switch to a raw byte stream (Docker's
 * hijack, exec, attach, the CLI relay), or a WebSocket.
 */
public sealed interface HttpResponse {
    int status();

    record Full(int status, String contentType, byte[] body, Map<String, String> headers) implements HttpResponse {}

    /** Written with chunked encoding until the writer returns or the client goes away (an IOException). */
    record Streaming(int status, String contentType, StreamWriter writer) implements HttpResponse {}

    /**
     * Answers 101 (with {@code headers}, e.g. Docker's raw-stream content type), then hands the raw connection to the
     * handler. A 101 to {@code Upgrade: tcp} reads {@code 101 UPGRADED}, as dockerd's.
     */
    record Upgrade(String protocol, UpgradeHandler handler, Map<String, String> headers) implements HttpResponse {
        public Upgrade {
            headers = Map.copyOf(headers);
        }

        public Upgrade(String protocol, UpgradeHandler handler) {
            this(protocol, handler, Map.of());
        }

        @Override
        public int status() {
            return 101;
        }
    }

    /** Answers a WebSocket handshake (101) and runs the handler on the session; 400 if the request is not one. */
    record WebSocket(WebSocketHandler handler) implements HttpResponse {
        @Override
        public int status() {
            return 101;
        }
    }

    @FunctionalInterface
    interface StreamWriter {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    @FunctionalInterface
    interface UpgradeHandler {
        void run(InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    static HttpResponse json(int status, byte[] body) {
        return new Full(status, "application/json", body, Map.of());
    }

    static HttpResponse text(int status, String body) {
        return new Full(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static HttpResponse noContent() {
        return new Full(204, null, new byte[0], Map.of());
    }
}
