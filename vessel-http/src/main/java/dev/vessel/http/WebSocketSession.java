package dev.vessel.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/** One open WebSocket, as a handler sees it: it sends messages and closes; sends block until written. */
public interface WebSocketSession {
    void sendText(String text) throws IOException;

    void sendBinary(ByteBuffer data) throws IOException;

    /** Closes with a status code (1000 normal, 1011 server error, 4000+ our own) and a short reason. */
    void close(int code, String reason);

    boolean isOpen();
}
