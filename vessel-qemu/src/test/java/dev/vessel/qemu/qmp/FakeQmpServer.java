package dev.vessel.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scripted stand-in for QEMU's QMP monitor on a unix socket: the test decides what is sent and when, byte by byte if
 * it wants, and reads exactly what the client wrote.
 */
final class FakeQmpServer implements AutoCloseable {
    static final String GREETING = """
            {"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7"}, \
            "capabilities": ["oob"]}}""";

    private final Path path;
    private final ServerSocketChannel server;

    private FakeQmpServer(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    static FakeQmpServer start(Path path) throws IOException {
        var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        return new FakeQmpServer(path, server);
    }

    Path path() {
        return path;
    }

    Connection accept() throws IOException {
        return new Connection(server.accept());
    }

    /** Connects a client in the background, plays greeting and capabilities, and returns both ends. */
    Session handshake() throws Exception {
        var client = CompletableFuture.supplyAsync(
                () -> QmpClient.connect(path, Duration.ofSeconds(10)),
                r -> Thread.ofVirtual().start(r));
        Connection conn = accept();
        conn.send(GREETING);
        JsonNode caps = conn.read();
        conn.reply(caps, "{}");
        return new Session(client.get(10, TimeUnit.SECONDS), conn);
    }

    record Session(QmpClient client, Connection conn) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            client.close();
            conn.close();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }

    static final class Connection implements AutoCloseable {
        private final SocketChannel channel;
        private final BufferedReader in;

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.in =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        }

        /** The next request the client sent, or null at EOF. */
        JsonNode read() throws IOException {
            String line = in.readLine();
            return line == null ? null : Json.MAPPER.readTree(line);
        }

        /** Sends one message with QEMU's CRLF terminator. */
        void send(String json) throws IOException {
            sendRaw(json.replace("\n", "") + "\r\n");
        }

        void sendRaw(String text) throws IOException {
            var buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }

        static String replyText(JsonNode request, String returnJson) {
            return "{\"return\": " + returnJson + ", \"id\": " + request.get("id") + "}";
        }

        static String errorText(JsonNode request, String errorClass, String desc) {
            return "{\"id\": " + request.get("id") + ", \"error\": {\"class\": \"" + errorClass + "\", \"desc\": \""
                    + desc + "\"}}";
        }

        static String eventText(String name, String dataJson) {
            return "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 250000}, \"event\": \"" + name + "\""
                    + (dataJson == null ? "" : ", \"data\": " + dataJson) + "}";
        }

        void reply(JsonNode request, String returnJson) throws IOException {
            send(replyText(request, returnJson));
        }

        void event(String name, String dataJson) throws IOException {
            send(eventText(name, dataJson));
        }

        /** Reads one request and answers it with {@code returnJson}; for tests that only need a responsive server. */
        JsonNode answer(String returnJson) throws IOException {
            JsonNode request = read();
            if (request == null) {
                throw new UncheckedIOException(new IOException("client closed before sending a request"));
            }
            reply(request, returnJson);
            return request;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
