package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The browser's serial console, with the JDK's WebSocket client over the node's TLS: a single-use ticket from a
 * logged-in user with VM.Console, then bytes both ways with a real tiny guest; the ticket does not work twice, nor
 * without the login, and a user without the privilege gets none. The daemon listens on loopback only and its VM has
 * no network.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class ConsoleWebSocketIT {
    static DaemonProcess daemon;
    static int port;
    static HttpClient https;
    static String operator;
    static String auditor;

    @BeforeAll
    static void start() throws Exception {
        port = DaemonProcess.freeLoopbackPort();
        daemon = new DaemonProcess("--tcp-listen", "127.0.0.1:" + port).start();
        TinyImageSupport.ensure(daemon);
        var ca = dev.vessel.access.tls.NodeCertificates.parsePem(
                Files.readString(daemon.dataDir().resolve("tls/ca.crt")));
        https = HttpClient.newBuilder()
                .sslContext(dev.vessel.http.PinnedTrust.trusting(ca))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        operator = token("olga", "Operator");
        auditor = token("audrey", "Auditor");
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"web\",\"image\":\"tiny\",\"memory\":\"128M\"}")
                        .status())
                .isEqualTo(201);
        daemon.okTask("/api/v1/instances/web/start?wait=true", null);
        assertThat(daemon.post(
                                "/api/v1/vms",
                                "{\"name\":\"desk\",\"image\":\"tiny\",\"memory\":\"128M\",\"display\":\"std\"}")
                        .status())
                .isEqualTo(201);
        daemon.okTask("/api/v1/instances/desk/start?wait=true", null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    static String token(String user, String role) {
        root("POST", "/api/v1/access/users", "{\"name\":\"" + user + "\",\"password\":\"" + user + "-password\"}");
        root(
                "PUT",
                "/api/v1/access/acl",
                "{\"path\":\"/vms\",\"principal\":\"" + user + "\",\"role\":\"" + role + "\"}");
        return root("POST", "/api/v1/access/users/" + user + "/tokens", "{\"id\":\"ui\",\"privsep\":false}")
                .path("value")
                .asText();
    }

    static JsonNode root(String method, String path, String body) {
        var r = daemon.client().call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as("%s %s: %s", method, path, r.text()).isLessThan(300);
        return r.body().length == 0 ? null : Json.tree(r.text());
    }

    static HttpResponse<String> ticket(String token) throws Exception {
        return ticket(token, "web", "serial");
    }

    static HttpResponse<String> ticket(String token, String vm, String type) throws Exception {
        return https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/instances/" + vm
                                + "/console/ticket?type=" + type))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Collects what the guest sends, and completes once {@code expected} is among it. */
    static final class Screen implements WebSocket.Listener {
        final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        final CompletableFuture<String> found = new CompletableFuture<>();
        final String expected;

        Screen(String expected) {
            this.expected = expected;
        }

        @Override
        public synchronized CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            seen.writeBytes(b);
            String text = seen.toString(StandardCharsets.UTF_8);
            if (text.contains(expected)) {
                found.complete(text);
            }
            ws.request(1);
            return null;
        }
    }

    static WebSocket open(String path, String token, WebSocket.Listener listener) {
        var b = https.newWebSocketBuilder();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.buildAsync(URI.create("wss://127.0.0.1:" + port + path), listener)
                .join();
    }

    @Test
    void aTicketOpensTheSerialConsoleOnceAndTheGuestAnswersWhatIsTyped() throws Exception {
        var r = ticket(operator);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode t = Json.tree(r.body());
        String path = t.path("path").asText();
        assertThat(path)
                .startsWith("/api/v1/instances/web/console/ws?ticket="
                        + t.path("ticket").asText());

        // Binary frames carry the bytes; the guest's shell computes what the typed line only says.
        var screen = new Screen("answer-42");
        WebSocket ws = open(path, operator, screen);
        ws.sendText("{\"resize\":[120,40]}", true).join(); // control, never typed into the guest
        ws.sendBinary(ByteBuffer.wrap("\necho answer-$((6*7))\n".getBytes(StandardCharsets.UTF_8)), true)
                .join();
        String text = screen.found.get(60, TimeUnit.SECONDS);
        assertThat(text).contains("answer-42").doesNotContain("resize");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();

        // Used once: the same ticket opens nothing any more.
        assertThat(handshakeStatus(path, operator)).isEqualTo(401);
        // A ticket without the login that asked for it is not enough, nor is a login without a ticket.
        String fresh = Json.tree(ticket(operator).body()).path("path").asText();
        assertThat(handshakeStatus(fresh, null)).isEqualTo(401);
        assertThat(handshakeStatus("/api/v1/instances/web/console/ws", operator))
                .isEqualTo(401);
    }

    @Test
    void whoLacksVmConsoleGetsNoTicket() throws Exception {
        assertThat(ticket(auditor).statusCode()).isEqualTo(403);
        String path = Json.tree(ticket(operator).body()).path("path").asText();
        // Another user cannot use someone else's ticket even with the privilege's name on its side.
        assertThat(handshakeStatus(path, auditor)).isEqualTo(403);
    }

    @Test
    void aVmWithADisplayShowsItsScreenOverVncWithTheTicketsOneTimePassword() throws Exception {
        String command = daemon.instance("desk").path("runtime").path("command").toString();
        assertThat(command).contains("VGA,id=video0", "usb-tablet", "vnc.sock,password=on");
        assertThat(daemon.instance("web").path("runtime").path("command").toString())
                .doesNotContain("-vnc");
        // No display, no screen: a clear refusal.
        var none = ticket(operator, "web", "vnc");
        assertThat(none.statusCode()).isEqualTo(409);
        assertThat(none.body()).contains("has no display");

        var r = ticket(operator, "desk", "vnc");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode t = Json.tree(r.body());
        String password = t.path("password").asText();
        assertThat(password).hasSize(8);
        assertThat(t.path("path").asText()).startsWith("/api/v1/instances/desk/console/vnc?ticket=");
        try (var rfb = new Rfb(t.path("path").asText(), operator)) {
            int[] size = rfb.login(password);
            assertThat(size[0]).isPositive();
            assertThat(size[1]).isPositive();
        }
        // The VNC server's own login holds too: a wrong password is refused inside the socket.
        JsonNode again = Json.tree(ticket(operator, "desk", "vnc").body());
        try (var rfb = new Rfb(again.path("path").asText(), operator)) {
            assertThat(rfb.loginFails("wrong!!!")).isTrue();
        }
        // A serial ticket does not open the screen, nor a screen ticket the serial console.
        String serial = Json.tree(ticket(operator, "desk", "serial").body())
                .path("path")
                .asText();
        assertThat(handshakeStatus(serial.replace("/console/ws?", "/console/vnc?"), operator))
                .isEqualTo(401);
    }

    /** Just enough of RFB 3.8 (RFC 6143) over the WebSocket to log in and read the screen's size. */
    static final class Rfb implements AutoCloseable {
        private final java.util.concurrent.LinkedBlockingQueue<byte[]> got =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final WebSocket ws;
        private ByteBuffer current = ByteBuffer.allocate(0);

        Rfb(String path, String token) {
            this.ws = ConsoleWebSocketIT.open(path, token, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    got.add(b);
                    w.request(1);
                    return null;
                }
            });
        }

        /** Logs in with the VNC password and returns the screen's width and height from ServerInit. */
        int[] login(String password) throws Exception {
            var result = authenticate(password);
            assertThat(result.getInt()).as("SecurityResult").isZero();
            send(new byte[] {1}); // ClientInit: shared
            var init = read(4);
            return new int[] {init.getShort() & 0xffff, init.getShort() & 0xffff};
        }

        boolean loginFails(String password) throws Exception {
            return authenticate(password).getInt() != 0;
        }

        private ByteBuffer authenticate(String password) throws Exception {
            byte[] version = new byte[12];
            read(12).get(version);
            assertThat(new String(version, StandardCharsets.US_ASCII)).isEqualTo("RFB 003.008\n");
            send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
            int n = read(1).get() & 0xff;
            byte[] types = new byte[n];
            read(n).get(types);
            assertThat(types).as("security types").contains((byte) 2);
            send(new byte[] {2}); // VNC authentication
            byte[] challenge = new byte[16];
            read(16).get(challenge);
            send(vncResponse(password, challenge));
            return read(4);
        }

        /** DES of the challenge with the password as the key, each key byte's bits mirrored (RFB's quirk). */
        static byte[] vncResponse(String password, byte[] challenge) throws Exception {
            byte[] key = new byte[8];
            byte[] p = password.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 8 && i < p.length; i++) {
                key[i] = (byte) (Integer.reverse(p[i] & 0xff) >>> 24);
            }
            var des = javax.crypto.Cipher.getInstance("DES/ECB/NoPadding");
            des.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "DES"));
            return des.doFinal(challenge);
        }

        private void send(byte[] b) {
            ws.sendBinary(ByteBuffer.wrap(b), true).join();
        }

        /** Exactly {@code n} bytes, however the bridge split them into messages. */
        private ByteBuffer read(int n) throws Exception {
            var out = ByteBuffer.allocate(n);
            while (out.hasRemaining()) {
                if (!current.hasRemaining()) {
                    byte[] next = got.poll(60, TimeUnit.SECONDS);
                    if (next == null) {
                        throw new AssertionError("the VNC server sent nothing for 60 s");
                    }
                    current = ByteBuffer.wrap(next);
                }
                int take = Math.min(out.remaining(), current.remaining());
                out.put(current.slice(current.position(), take));
                current.position(current.position() + take);
            }
            return out.flip();
        }

        @Override
        public void close() {
            ws.abort();
        }
    }

    /** The status the handshake was refused with; a handshake that opens fails the test. */
    static int handshakeStatus(String path, String token) {
        try {
            open(path, token, new WebSocket.Listener() {}).abort();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
        throw new AssertionError(path + " opened");
    }
}
