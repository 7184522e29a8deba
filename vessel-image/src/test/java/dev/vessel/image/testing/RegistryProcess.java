package dev.vessel.image.testing;

import dev.vessel.image.oci.Digest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's distribution registry ({@code apt-get install docker-registry}) on 127.0.0.1 and a free port, with its
 * storage in a temp dir, and the push half of the registry API (monolithic blob uploads, manifest PUT), which the
 * image store itself does not implement. The one launcher every registry test uses (the image store's own, the
 * container and daemon tests through their helpers).
 */
public final class RegistryProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final Path log;
    private final String host;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String authorization;

    public RegistryProcess(Path dir) throws Exception {
        this(dir, null, null);
    }

    /**
     * With a user and password: the registry's htpasswd auth (a bcrypt file made by Debian's {@code htpasswd -B}), so
     * every request needs Basic credentials; the pushes here send them.
     */
    public RegistryProcess(Path dir, String user, String password) throws Exception {
        authorization = user == null
                ? null
                : "Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install docker-registry");
        }
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        host = "127.0.0.1:" + port;
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: %s
                """.formatted(dir.resolve("data"), host));
        if (user != null) {
            Path htpasswd = dir.resolve("htpasswd");
            var h = new ProcessBuilder(List.of("htpasswd", "-Bbn", user, password))
                    .redirectErrorStream(true)
                    .start();
            String line = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (h.waitFor() != 0) {
                throw new IllegalStateException("htpasswd failed (apt-get install apache2-utils): " + line);
            }
            Files.writeString(htpasswd, line + "\n");
            Files.writeString(config, Files.readString(config) + """
                    auth:
                      htpasswd:
                        realm: vessel-test
                        path: %s
                    """.formatted(htpasswd));
        }
        log = dir.resolve("registry.log");
        process = new ProcessBuilder(List.of(BINARY.toString(), "serve", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        waitUntilUp();
    }

    private void waitUntilUp() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(log));
            }
            try {
                if (http.send(
                                        authorized(HttpRequest.newBuilder(uri("/v2/")))
                                                .timeout(Duration.ofSeconds(2))
                                                .GET()
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100); // not listening yet
            }
        }
        throw new IllegalStateException("docker-registry did not come up within 30 s: " + Files.readString(log));
    }

    /** host:port, the first part of the references pushed here. */
    public String host() {
        return host;
    }

    /** Monolithic upload: POST to open an upload session, PUT the bytes with their digest. */
    public void pushBlob(String repository, byte[] blob) throws Exception {
        var open = http.send(
                authorized(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/")))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        check(open, 202);
        URI location = uri("/").resolve(open.headers().firstValue("Location").orElseThrow());
        String sep = location.toString().contains("?") ? "&" : "?";
        var put = http.send(
                authorized(HttpRequest.newBuilder(URI.create(location + sep + "digest=" + Digest.of(blob))))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        check(put, 201);
    }

    public void pushManifest(String repository, String ref, byte[] body, String mediaType) throws Exception {
        var put = http.send(
                authorized(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + ref)))
                        .header("Content-Type", mediaType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        check(put, 201);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    private static void check(HttpResponse<String> r, int expected) {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(
                    r.request().method() + " " + r.uri() + " -> " + r.statusCode() + ": " + r.body());
        }
    }

    private URI uri(String path) {
        return URI.create("http://" + host + path);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
