package dev.vessel.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.host.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP listener's properties against real clients: timeouts, limits, streamed bodies both ways, HEAD, TLS from a
 * keystore, WebSocket with the JDK's client, and Docker's {@code Upgrade: tcp} hijack read off a raw socket.
 */
class JettyLimitsTest {
    private static final String TOKEN = "t0ken-0123456789abcdef0123456789ab";
    private static final Listener.Limits TIGHT =
            new Listener.Limits(Duration.ofMillis(800), Duration.ofMillis(800), 4096, 6);

    @TempDir
    Path dir;

    HttpServer server;
    int port;
    int tlsPort;
    Path keystore;

    @BeforeEach
    void start() throws Exception {
        var router = new Router()
                .get("/small", dev.vessel.access.Need.loggedIn(), req -> HttpResponse.text(200, "hello"))
                .post("/count", dev.vessel.access.Need.loggedIn(), req -> {
                    long n = 0;
                    try (InputStream in = req.bodyStream()) {
                        byte[] b = new byte[64 * 1024];
                        for (int r; (r = in.read(b)) > 0; ) {
                            n += r;
                        }
                    }
                    return HttpResponse.text(
                            200, Long.toString(n) + " " + Runtime.getRuntime().totalMemory());
                })
                .post("/json", dev.vessel.access.Need.loggedIn(), req -> HttpResponse.json(200, req.body()))
                .get("/slow", dev.vessel.access.Need.loggedIn(), req -> {
                    Thread.sleep(2000); // longer than every timeout: a long poll
                    return HttpResponse.text(200, "waited");
                })
                .get(
                        "/quiet-stream",
                        dev.vessel.access.Need.loggedIn(),
                        req -> new HttpResponse.Streaming(200, "text/plain", out -> {
                            out.write("a\n".getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            Thread.sleep(
                                    2000); // quiet for longer than the idle timeout, as an event stream between events
                            out.write("b\n".getBytes(StandardCharsets.UTF_8));
                        }))
                .post(
                        "/hijack",
                        dev.vessel.access.Need.loggedIn(),
                        req -> new HttpResponse.Upgrade(
                                "tcp",
                                (in, out) -> {
                                    out.write("ready\n".getBytes(StandardCharsets.UTF_8));
                                    out.flush();
                                    byte[] b = in.readAllBytes(); // until the client half-closes
                                    out.write(("got " + new String(b, StandardCharsets.UTF_8))
                                            .getBytes(StandardCharsets.UTF_8));
                                    out.close(); // half-close back
                                },
                                java.util.Map.of("Content-Type", "application/vnd.docker.raw-stream")))
                .get(
                        "/ws",
                        dev.vessel.access.Need.loggedIn(),
                        req -> new HttpResponse.WebSocket(new WebSocketHandler() {
                            @Override
                            public void onText(WebSocketSession s, String text) throws Exception {
                                s.sendText("echo " + text);
                            }

                            @Override
                            public void onBinary(WebSocketSession s, ByteBuffer data) throws Exception {
                                var copy = ByteBuffer.allocate(data.remaining())
                                        .put(data)
                                        .flip();
                                s.sendBinary(copy);
                            }
                        }));
        keystore = dir.resolve("server.p12");
        new ProcessRunner()
                .run(
                        Duration.ofSeconds(60),
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "vessel",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "san=dns:localhost,ip:127.0.0.1",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "pw123456");
        var loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        server = new HttpServer(
                        List.of(
                                Listener.tcp("tcp", loopback, router, TOKEN, null, TIGHT),
                                Listener.tcp(
                                        "tls", loopback, router, TOKEN, new Listener.Tls(keystore, "pw123456"), TIGHT)),
                        RequestObserver.NONE)
                .start();
        port = server.listeners().get(0).port();
        tlsPort = server.listeners().get(1).port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    private Socket raw() throws IOException {
        var s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static final String AUTH = "Authorization: Bearer " + TOKEN + "\r\n";

    @Test
    void headAnswersTheHeadersOfGetWithoutTheBody() throws IOException {
        try (var s = raw()) {
            send(s, "HEAD /small HTTP/1.1\r\nHost: x\r\n" + AUTH + "Connection: close\r\n\r\n");
            String answer = readAll(s.getInputStream());
            assertThat(answer)
                    .startsWith("HTTP/1.1 200")
                    .contains("Content-Length: 5")
                    .doesNotContain("hello");
        }
    }

    @Test
    void aChunkedUploadIsStreamedNotHeldInMemory() throws Exception {
        long size = 256L << 20;
        try (var s = raw()) {
            send(
                    s,
                    "POST /count HTTP/1.1\r\nHost: x\r\n" + AUTH
                            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[1 << 20];
            byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (long sent = 0; sent < size; sent += chunk.length) {
                out.write(head);
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAll(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200");
            String[] body = answer.substring(answer.indexOf("\r\n\r\n") + 4).split(" ");
            assertThat(Long.parseLong(body[0])).isEqualTo(size);
        }
    }

    @Test
    void aJsonBodyOverFourMebibytesIs413AndNothingIsRead() throws IOException {
        try (var s = raw()) {
            send(
                    s,
                    "POST /json HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Type: application/json\r\nContent-Length: "
                            + (5 << 20) + "\r\n\r\n{");
            String answer = readAll(s.getInputStream());
            assertThat(answer)
                    .startsWith("HTTP/1.1 413")
                    .contains("application/problem+json")
                    .contains("larger than 4 MiB");
        }
    }

    @Test
    void aHeadOverTheLimitIs431() throws IOException {
        try (var s = raw()) {
            send(s, "GET /small HTTP/1.1\r\nHost: x\r\n" + AUTH + "X-Big: " + "a".repeat(8000) + "\r\n\r\n");
            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 431").contains("application/problem+json");
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        try (var s = raw()) {
            long t0 = System.nanoTime();
            assertThat(s.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }

    @Test
    void aRequestHeadThatStopsHalfWayIsCutOff() throws Exception {
        try (var s = raw()) {
            send(s, "GET /small HTTP/1.1\r\n");
            Thread.sleep(1500);
            try {
                send(s, "Host: x\r\n\r\n");
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            } catch (IOException e) {
                // reset: closed already, as it should be
            }
        }
    }

    @Test
    void aBodyThatStallsGets408() throws Exception {
        try (var s = raw()) {
            send(s, "POST /json HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Length: 100\r\n\r\n{\"a\":");
            String answer = readAll(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408");
        }
    }

    @Test
    void aLongPollOutlivesTheIdleTimeout() throws IOException {
        try (var s = raw()) {
            send(s, "GET /slow HTTP/1.1\r\nHost: x\r\n" + AUTH + "Connection: close\r\n\r\n");
            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("waited");
        }
    }

    @Test
    void aQuietStreamOutlivesTheIdleTimeout() throws IOException {
        try (var s = raw()) {
            send(s, "GET /quiet-stream HTTP/1.1\r\nHost: x\r\n" + AUTH + "Connection: close\r\n\r\n");
            String answer = readAll(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200").contains("a\n").contains("b\n");
        }
    }

    @Test
    void connectionsOverTheCapWaitUntilOneCloses() throws Exception {
        var held = new ArrayList<Socket>();
        try {
            for (int i = 0; i < TIGHT.maxConnections() * 2; i++) {
                var s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                held.add(s);
            }
            // accepted ones are served; the rest wait in the backlog, unaccepted, until the idle ones time out
            Thread.sleep(300);
            assertThat(server.openConnections()).isLessThanOrEqualTo(TIGHT.maxConnections());
        } finally {
            for (var s : held) {
                s.close();
            }
        }
        try (var s = raw()) {
            send(s, "GET /small HTTP/1.1\r\nHost: x\r\n" + AUTH + "Connection: close\r\n\r\n");
            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void dockersHijackAnswers101UpgradedAndCarriesBothHalvesOfTheStream() throws IOException {
        try (var s = raw()) {
            send(
                    s,
                    "POST /hijack HTTP/1.1\r\nHost: x\r\n" + AUTH
                            + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n");
            var in = s.getInputStream();
            var head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                assertThat(c).isNotNegative();
                head.append((char) c);
            }
            assertThat(head.toString())
                    .startsWith("HTTP/1.1 101 UPGRADED\r\n")
                    .contains("Upgrade: tcp", "Connection: Upgrade", "Content-Type: application/vnd.docker.raw-stream");
            assertThat(new String(in.readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("ready\n");
            send(s, "stdin bytes");
            s.shutdownOutput();
            assertThat(readAll(in)).isEqualTo("got stdin bytes");
        }
    }

    @Test
    void tlsFromTheKeystoreServesTheSameRoutes() throws Exception {
        var ks = KeyStore.getInstance("PKCS12");
        try (var f = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(f, "pw123456".toCharArray());
        }
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        var ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (var client = HttpClient.newBuilder().sslContext(ssl).build()) {
            var ok = client.send(
                    java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + "/small"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                    BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("hello");
            var anonymous = client.send(
                    java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + "/small"))
                            .build(),
                    BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            var posted = client.send(
                    java.net.http.HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + "/json"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .POST(BodyPublishers.ofString("{\"tls\":true}"))
                            .build(),
                    BodyHandlers.ofString());
            assertThat(posted.body()).isEqualTo("{\"tls\":true}");
        }
        try (var s = new Socket(InetAddress.getLoopbackAddress(), tlsPort)) {
            s.setSoTimeout(5000);
            send(s, "GET /small HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
            String answer;
            try {
                answer = readAll(s.getInputStream());
            } catch (IOException e) {
                answer = ""; // reset: refused, as it should be
            }
            assertThat(answer)
                    .as("plain HTTP on the TLS port gets no answer in clear")
                    .doesNotContain("hello");
        }
    }

    @Test
    void webSocketsWorkWithTheJdkClient() throws Exception {
        var texts = new ArrayList<String>();
        var binary = new CompletableFuture<byte[]>();
        var gotText = new CompletableFuture<String>();
        try (var client = HttpClient.newHttpClient()) {
            WebSocket ws = client.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + TOKEN)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            texts.add(data.toString());
                            gotText.complete(data.toString());
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                            byte[] b = new byte[data.remaining()];
                            data.get(b);
                            binary.complete(b);
                            w.request(1);
                            return null;
                        }
                    })
                    .get(5, TimeUnit.SECONDS);
            ws.sendText("hi", true).get(5, TimeUnit.SECONDS);
            assertThat(gotText.get(5, TimeUnit.SECONDS)).isEqualTo("echo hi");
            ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xff}), true)
                    .get(5, TimeUnit.SECONDS);
            assertThat(binary.get(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3, (byte) 0xff);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWebSocketRouteRefusesAPlainRequest() throws IOException {
        try (var s = raw()) {
            send(s, "GET /ws HTTP/1.1\r\nHost: x\r\n" + AUTH + "Connection: close\r\n\r\n");
            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 400").contains("WebSocket only");
        }
    }
}
