package dev.vessel.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's distribution registry ({@code apt-get install docker-registry}) on 127.0.0.1 and a free port, with its
 * storage in a temp dir; plus the push side of the registry API, which the store itself does not implement.
 */
final class RealRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final Path log;
    final String host;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    RealRegistry(Path dir) throws Exception {
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
                if (http.send(get("/v2/"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100); // Not listening yet.
            }
        }
        throw new IllegalStateException("docker-registry did not come up within 30 s: " + Files.readString(log));
    }

    /** Monolithic upload: POST to open an upload session, PUT the bytes with their digest. */
    void pushBlob(String name, byte[] blob) throws Exception {
        HttpResponse<String> open = http.send(HttpRequest.newBuilder(uri("/v2/" + name + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        check(open, 202);
        URI location = uri("/").resolve(open.headers().firstValue("Location").orElseThrow());
        String sep = location.toString().contains("?") ? "&" : "?";
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(location + sep + "digest=" + Digest.of(blob)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        check(put, 201);
    }

    void pushManifest(String name, String ref, byte[] body, String mediaType) throws Exception {
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri("/v2/" + name + "/manifests/" + ref))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        check(put, 201);
    }

    void push(String name, String tag, TestImages.Built img, String manifestType) throws Exception {
        pushBlob(name, img.config());
        for (TestImages.Layer l : img.layers()) {
            pushBlob(name, l.blob());
        }
        pushManifest(name, tag, img.manifest(), manifestType);
    }

    private static void check(HttpResponse<String> r, int expected) {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " -> " + r.statusCode() + ": " + r.body());
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).GET().build();
    }

    private URI uri(String path) {
        return URI.create("http://" + host + path);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while stopping docker-registry", e));
        }
    }
}
