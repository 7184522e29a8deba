package dev.vessel.http;

import java.nio.ByteBuffer;

/**
 * What a WebSocket route does with its session (the consoles: a VNC stream as binary messages, a terminal as text).
 * Callbacks come one at a time for a session; a callback that blocks holds that session's next message back.
 */
public interface WebSocketHandler {
    default void onOpen(WebSocketSession session) throws Exception {}

    default void onText(WebSocketSession session, String text) throws Exception {}

    default void onBinary(WebSocketSession session, ByteBuffer data) throws Exception {}

    default void onClose(int code, String reason) {}

    default void onError(Throwable failure) {}
}
