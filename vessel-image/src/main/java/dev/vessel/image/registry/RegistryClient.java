package dev.vessel.image.registry;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageReference;
import dev.vessel.image.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A client of the Docker Registry HTTP API v2 / OCI distribution spec, read side: manifests and blobs, with the
 * token flow on 401. Redirects (blobs are often served from object storage) are followed by hand so that the
 * registry's Authorization header never travels to another host.
 *
 * <p>Transport: https; loopback registries and those listed as insecure are reached over plain http unless they
 * ask for TLS (see {@link #probeScheme}).
 */
public final class RegistryClient {
    private static final int MAX_MANIFEST = 4 << 20;
    private static final int MAX_REDIRECTS = 5;

    /** A fetched manifest or index, checked against its digest. */
    public record Manifest(byte[] body, String mediaType, Digest digest) {}

    private final RegistryOptions opts;
    private final HttpClient http;
    private final TokenAuthenticator auth;
    private final Map<String, String> schemes = new ConcurrentHashMap<>();

    public RegistryClient(RegistryOptions opts) {
        this(
                opts,
                HttpClient.newBuilder()
                        .connectTimeout(opts.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .executor(Executors.newVirtualThreadPerTaskExecutor())
                        .build());
    }

    public RegistryClient(RegistryOptions opts, HttpClient http) {
        this.opts = opts;
        this.http = http;
        this.auth = new TokenAuthenticator(http, opts);
    }

    public RegistryOptions options() {
        return opts;
    }

    /** GET /v2/NAME/manifests/TAG-OR-DIGEST, accepting every manifest and index type we can read. */
    public Manifest manifest(ImageReference ref, String tagOrDigest) {
        HttpResponse<InputStream> r =
                get(ref, "/v2/" + ref.repository() + "/manifests/" + tagOrDigest, MediaTypes.ACCEPT_MANIFESTS);
        byte[] body = readBody(r, ref, MAX_MANIFEST);
        if (r.statusCode() != 200) {
            throw RegistryErrors.of(r.statusCode(), body, ref, "manifest", tagOrDigest);
        }
        Digest actual = Digest.of(body);
        Digest promised = tagOrDigest.startsWith("sha256:")
                ? Digest.parse(tagOrDigest)
                : r.headers()
                        .firstValue("Docker-Content-Digest")
                        .filter(h -> h.startsWith("sha256:"))
                        .map(Digest::parse)
                        .orElse(null);
        if (promised != null && !promised.equals(actual)) {
            throw new VesselException(
                    ProblemType.INVALID_INPUT,
                    "bad digest: the manifest of '" + ref.familiarName() + "' hashes to " + actual
                            + " but the registry promised " + promised,
                    Map.of("digest", promised.toString()),
                    null);
        }
        return new Manifest(body, r.headers().firstValue("Content-Type").orElse(null), actual);
    }

    /** GET /v2/NAME/blobs/DIGEST: the body stream, to be verified by the caller while it stores it. */
    public InputStream blob(ImageReference ref, Digest digest) {
        HttpResponse<InputStream> r = get(ref, "/v2/" + ref.repository() + "/blobs/" + digest, null);
        if (r.statusCode() != 200) {
            throw RegistryErrors.of(r.statusCode(), readBody(r, ref, 64 << 10), ref, "blob", digest.toString());
        }
        return r.body();
    }

    /**
     * Checks this client's credentials for a registry the way {@code docker login} does: {@code GET /v2/}, answering
     * its challenge (Basic, or the token flow) with them. Throws UNAUTHORIZED when the registry refuses them.
     */
    public void login(String registry) {
        if (opts.credentials().get(registry) == null) {
            throw VesselException.invalid("registry", "no credentials for " + registry);
        }
        HttpResponse<InputStream> r = exchange(registry, "/v2/", null, null);
        if (r.statusCode() == 401) {
            close(r);
            try {
                auth.authenticate(registry, "", r.headers().allValues("WWW-Authenticate"));
            } catch (VesselException e) {
                throw new VesselException(
                        ProblemType.UNAUTHORIZED,
                        registry + " refused the credentials: " + e.getMessage(),
                        Map.of("registry", registry),
                        e);
            }
            r = exchange(registry, "/v2/", null, auth.header(registry, ""));
        }
        int status = r.statusCode();
        close(r);
        if (status == 401 || status == 403) {
            throw new VesselException(
                    ProblemType.UNAUTHORIZED,
                    registry + " refused the credentials (" + status + ")",
                    Map.of("registry", registry),
                    null);
        }
        if (status != 200) {
            throw new VesselException(
                    ProblemType.UNAVAILABLE,
                    registry + " answered " + status + " to /v2/",
                    Map.of("registry", registry),
                    null);
        }
    }

    private HttpResponse<InputStream> get(ImageReference ref, String path, String accept) {
        String scope = "repository:" + ref.repository() + ":pull";
        HttpResponse<InputStream> r = exchange(ref.registry(), path, accept, auth.header(ref.registry(), scope));
        if (r.statusCode() == 401) {
            close(r);
            auth.authenticate(ref.registry(), scope, r.headers().allValues("WWW-Authenticate"));
            r = exchange(ref.registry(), path, accept, auth.header(ref.registry(), scope));
        }
        return r;
    }

    private HttpResponse<InputStream> exchange(String registry, String path, String accept, String authorization) {
        String scheme = schemes.computeIfAbsent(registry, this::probeScheme);
        try {
            return follow(URI.create(scheme + "://" + host(registry) + path), accept, authorization);
        } catch (IOException e) {
            throw RegistryErrors.unreachable(registry, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VesselException(ProblemType.UNAVAILABLE, "interrupted while talking to " + registry, Map.of(), e);
        }
    }

    /**
     * https for every registry except loopback and configured insecure ones. Those get plain http unless their
     * {@code /v2/} answers that it wants TLS (Go's servers say "Client sent an HTTP request to an HTTPS server").
     * Plain first, not TLS first: a plain server that waits for a request line never answers a TLS hello, and the
     * pull would hang until the connect timeout.
     */
    private String probeScheme(String registry) {
        if (!insecure(registry)) {
            return "https";
        }
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + host(registry) + "/v2/"))
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(opts.requestTimeout())
                .GET()
                .build();
        try {
            HttpResponse<String> r = http.send(ping, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 400 && r.body().contains("HTTPS") ? "https" : "http";
        } catch (IOException e) {
            throw RegistryErrors.unreachable(registry, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VesselException(ProblemType.UNAVAILABLE, "interrupted while talking to " + registry, Map.of(), e);
        }
    }

    private HttpResponse<InputStream> follow(URI uri, String accept, String authorization)
            throws IOException, InterruptedException {
        String origin = uri.getRawAuthority();
        for (int i = 0; i <= MAX_REDIRECTS; i++) {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(uri).timeout(opts.requestTimeout()).GET();
            if (uri.getScheme().equals("http")) {
                b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with plain-http registries
            }
            if (accept != null) {
                b.header("Accept", accept);
            }
            if (authorization != null && origin.equals(uri.getRawAuthority())) {
                b.header("Authorization", authorization);
            }
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            int s = r.statusCode();
            if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
                return r;
            }
            close(r);
            String host = uri.getHost();
            String location = r.headers()
                    .firstValue("Location")
                    .orElseThrow(() -> new IOException("redirect " + s + " without a Location from " + host));
            uri = uri.resolve(location);
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + uri.getHost());
    }

    /** Docker Hub's API lives on another host than its name. */
    static String host(String registry) {
        return registry.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    boolean insecure(String registry) {
        return opts.insecureRegistries().contains(registry) || isLoopback(registry);
    }

    static boolean isLoopback(String registry) {
        String host = registry.startsWith("[") ? registry.substring(1, registry.indexOf(']')) : registry.split(":")[0];
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static byte[] readBody(HttpResponse<InputStream> r, ImageReference ref, int max) {
        try (InputStream in = r.body()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw VesselException.invalid(
                        "manifest",
                        ref.registry() + " sent more than " + max + " bytes for a manifest of '" + ref.familiarName()
                                + "'");
            }
            return b;
        } catch (IOException e) {
            throw RegistryErrors.unreachable(ref.registry(), e);
        }
    }

    private static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException e) {
            // The answer was a redirect or a 401 and its body is unused; a failing close only loses that connection.
            System.getLogger(RegistryClient.class.getName())
                    .log(System.Logger.Level.DEBUG, "closing an unused body failed", e);
        }
    }
}
