package dev.vessel.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.MediaTypes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A registry in the test, on loopback: serves manifests and blobs, optionally behind the Docker token flow, and can
 * send blobs through a redirect to a second server (as registries do to object storage). Records every request.
 */
final class FakeRegistry implements AutoCloseable {
    static final String TOKEN = "tok-123";
    static final String SERVICE = "fake-registry";

    record Seen(String path, String authorization) {}

    private final HttpServer server;
    private final HttpServer storage;
    final Map<String, byte[]> manifests = new ConcurrentHashMap<>(); // "name ref" -> body
    final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
    final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    final List<Seen> storageRequests = new CopyOnWriteArrayList<>();
    volatile boolean requireToken;
    volatile boolean refuseTokens;
    volatile boolean redirectBlobs;

    FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        storage.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        storage.createContext("/", this::handleStorage);
        storage.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Publishes an image (its blobs and its manifest under {@code tag} and under its digest). */
    void push(String name, String tag, TestImages.Built img) {
        blobs.put(img.configDigest(), img.config());
        img.layers().forEach(l -> blobs.put(l.digest(), l.blob()));
        putManifest(name, tag, img.manifest(), MediaTypes.OCI_MANIFEST);
        putManifest(name, img.manifestDigest().toString(), img.manifest(), MediaTypes.OCI_MANIFEST);
    }

    void putManifest(String name, String ref, byte[] body, String mediaType) {
        manifests.put(name + " " + ref, body);
        manifestTypes.put(name + " " + ref, mediaType);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        requests.add(new Seen(
                path
                        + (ex.getRequestURI().getQuery() == null
                                ? ""
                                : "?" + ex.getRequestURI().getQuery()),
                auth));
        if (path.equals("/token")) {
            token(ex);
            return;
        }
        String name = path.contains("/manifests/")
                ? path.substring(4, path.indexOf("/manifests/"))
                : path.contains("/blobs/") ? path.substring(4, path.indexOf("/blobs/")) : "";
        if (requireToken && !("Bearer " + TOKEN).equals(auth)) {
            ex.getResponseHeaders()
                    .add(
                            "WWW-Authenticate",
                            "Bearer realm=\"http://" + host() + "/token\",service=\"" + SERVICE
                                    + "\",scope=\"repository:" + name + ":pull\"");
            send(
                    ex,
                    401,
                    "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}",
                    "application/json");
            return;
        }
        if (path.contains("/manifests/")) {
            String key = name + " " + path.substring(path.indexOf("/manifests/") + 11);
            byte[] body = manifests.get(key);
            if (body == null) {
                send(
                        ex,
                        404,
                        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}",
                        "application/json");
                return;
            }
            ex.getResponseHeaders().add("Docker-Content-Digest", Digest.of(body).toString());
            send(ex, 200, body, manifestTypes.get(key));
        } else if (path.contains("/blobs/")) {
            Digest d = Digest.parse(path.substring(path.indexOf("/blobs/") + 7));
            byte[] body = blobs.get(d);
            if (body == null) {
                send(
                        ex,
                        404,
                        "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}",
                        "application/json");
            } else if (redirectBlobs) {
                ex.getResponseHeaders()
                        .add(
                                "Location",
                                "http://127.0.0.1:" + storage.getAddress().getPort() + "/data/" + d.hex());
                send(ex, 307, new byte[0], null);
            } else {
                send(ex, 200, body, "application/octet-stream");
            }
        } else {
            send(ex, 404, "{}", "application/json");
        }
    }

    private void token(HttpExchange ex) throws IOException {
        String q = ex.getRequestURI().getQuery();
        boolean right = q != null && q.contains("service=" + SERVICE) && q.contains("scope=repository:team/app:pull");
        if (refuseTokens || !right) {
            send(ex, 401, "{\"details\":\"no\"}", "application/json");
        } else {
            send(ex, 200, "{\"token\":\"" + TOKEN + "\",\"expires_in\":300}", "application/json");
        }
    }

    private void handleStorage(HttpExchange ex) throws IOException {
        storageRequests.add(
                new Seen(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Authorization")));
        byte[] body = blobs.get(Digest.sha256Hex(ex.getRequestURI().getPath().substring("/data/".length())));
        send(ex, body == null ? 404 : 200, body == null ? new byte[0] : body, "application/octet-stream");
    }

    private static void send(HttpExchange ex, int status, String body, String type) throws IOException {
        send(ex, status, body.getBytes(StandardCharsets.UTF_8), type);
    }

    private static void send(HttpExchange ex, int status, byte[] body, String type) throws IOException {
        if (type != null) {
            ex.getResponseHeaders().add("Content-Type", type);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (var out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        storage.stop(0);
    }
}
