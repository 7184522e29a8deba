package dev.vessel.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpServerTest {
    @TempDir
    Path dir;

    HttpServer server;
    ApiClient unix;
    ApiClient tcp;
    Path socket;

    @BeforeEach
    void start() {
        var router = new Router()
                .get(
                        "/api/v1/things/{name}",
                        dev.vessel.access.Need.loggedIn(),
                        req -> HttpResponse.text(
                                200,
                                "thing " + req.pathParam("name") + " "
                                        + req.queryParam("q").orElse("")))
                .post("/api/v1/things", dev.vessel.access.Need.loggedIn(), req -> HttpResponse.json(201, req.body()))
                .get("/api/v1/fail", dev.vessel.access.Need.loggedIn(), req -> {
                    throw VesselException.notFound("thing", "nope");
                })
                .get(
                        "/api/v1/stream",
                        dev.vessel.access.Need.loggedIn(),
                        req -> new HttpResponse.Streaming(200, "text/plain", out -> {
                            for (int i = 0; i < 3; i++) {
                                out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                                out.flush();
                            }
                        }))
                .get(
                        "/api/v1/echo",
                        dev.vessel.access.Need.loggedIn(),
                        req -> new HttpResponse.Upgrade("echo", (in, out) -> {
                            byte[] b = new byte[64];
                            int n;
                            while ((n = in.read(b)) > 0) {
                                out.write(b, 0, n);
                                out.flush();
                            }
                        }));
        socket = dir.resolve("api.sock");
        server = new HttpServer(
                        List.of(
                                Listener.unix("unix", socket, router),
                                Listener.tcp(
                                        "tcp",
                                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                                        router,
                                        "s3cret-token-0123456789abcdef0123")),
                        RequestObserver.NONE)
                .start();
        unix = ApiClient.unix(socket);
        tcp = new ApiClient("tcp://127.0.0.1:" + server.listeners().get(1).port(), "s3cret-token-0123456789abcdef0123");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theUnixSocketIsOnlyForItsOwner() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
                .isEqualTo("rw-------");
    }

    @Test
    void pathParametersAndQueriesReachTheHandler() {
        var r = unix.call("GET", "/api/v1/things/web?q=a%20b", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("thing web a b");
    }

    @Test
    void domainErrorsBecomeProblemJson() {
        var r = unix.call("GET", "/api/v1/fail", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.headers()).containsEntry("Content-Type", "application/problem+json");
        assertThat(r.text())
                .contains("\"type\":\"urn:vessel:problem:not-found\"", "\"detail\":\"thing 'nope' not found\"");
    }

    @Test
    void unknownRoutesAndWrongMethodsAreProblemsToo() {
        assertThat(unix.call("GET", "/api/v1/nothing", null).status()).isEqualTo(404);
        var r = unix.call("DELETE", "/api/v1/things", null);
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers()).containsEntry("Allow", "POST");
    }

    @Test
    void bodiesArriveWhole() {
        var r = unix.call("POST", "/api/v1/things", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text()).isEqualTo("{\"a\":1}");
    }

    @Test
    void streamsAreChunked() throws IOException {
        try (var s = unix.stream("GET", "/api/v1/stream")) {
            assertThat(new String(s.body().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("line 0\nline 1\nline 2\n");
        }
    }

    @Test
    void anUpgradedConnectionCarriesRawBytesBothWays() throws IOException {
        var up = (ApiClient.Upgraded) unix.upgrade("/api/v1/echo", "echo");
        try (up) {
            up.out().write("hello".getBytes(StandardCharsets.UTF_8));
            up.out().flush();
            assertThat(new String(up.in().readNBytes(5), StandardCharsets.UTF_8))
                    .isEqualTo("hello");
        }
    }

    @Test
    void theTcpListenerWantsTheBearerToken() {
        assertThat(tcp.call("GET", "/api/v1/things/x", null).status()).isEqualTo(200);
        var anonymous = new ApiClient(tcp.endpoint(), null).call("GET", "/api/v1/things/x", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(new ApiClient(tcp.endpoint(), "wrong")
                        .call("GET", "/api/v1/things/x", null)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void garbageGetsA400AndTheServerKeepsServing() throws IOException {
        for (String junk : List.of(
                "NOT HTTP\r\n\r\n",
                "GET /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
                "GET /x HTTP/1.1\r\nbad header\r\n\r\n")) {
            assertThat(raw(junk)).startsWith("HTTP/1.1 400").contains("application/problem+json");
        }
        // Empty lines before a request line are skipped (RFC 9112 2.2); then the client hangs up: no answer is due.
        assertThat(raw("\r\n\r\n")).isEmpty();
        assertThat(raw("POST /api/v1/things HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n"))
                .startsWith("HTTP/1.1 413");
        assertThat(unix.call("GET", "/api/v1/things/ok", null).status()).isEqualTo(200);
    }

    @Test
    void anEmptyHostIsTakenAsDockerdTakesIt() throws IOException {
        // Docker's 20.10 CLI sends "Host: " on its hijack requests over a unix socket (RFC 9112 3.2 allows it)
        assertThat(raw("GET /api/v1/things/h HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200")
                .contains("thing h");
        assertThat(raw("GET /api/v1/things/h HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"))
                .as("two hosts stay refused")
                .startsWith("HTTP/1.1 400");
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws IOException {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            String req = "GET /api/v1/things/a HTTP/1.1\r\nHost: x\r\n\r\n";
            ch.write(ByteBuffer.wrap((req + req + req.replace("Host: x", "Host: x\r\nConnection: close"))
                    .getBytes(StandardCharsets.US_ASCII)));
            var all = new StringBuilder();
            var buf = ByteBuffer.allocate(4096);
            while (ch.read(buf.clear()) > 0) {
                all.append(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
            }
            assertThat(all.toString().split("HTTP/1.1 200", -1)).hasSize(4);
        }
    }

    private String raw(String text) throws IOException {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            var buf = ByteBuffer.allocate(4096);
            var sb = new StringBuilder();
            while (ch.read(buf.clear()) > 0) {
                sb.append(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
            }
            return sb.toString();
        }
    }
}
