package dev.vessel.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.manifest.Trees;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers registry challenges: the Docker token flow for {@code Bearer} (ask the realm for a token for
 * service+scope, anonymously or with Basic credentials), or plain Basic. Tokens are cached per registry and scope
 * until shortly before they expire.
 */
final class TokenAuthenticator {
    private record Cached(String header, Instant expires) {}

    private final HttpClient http;
    private final RegistryOptions opts;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    TokenAuthenticator(HttpClient http, RegistryOptions opts) {
        this.http = http;
        this.opts = opts;
    }

    /** The Authorization header to send, or null if none is known yet. */
    String header(String registry, String scope) {
        Cached c = cache.get(registry + " " + scope);
        return c != null && Instant.now().isBefore(c.expires()) ? c.header() : null;
    }

    /** Handles a 401: obtains what its challenges ask for, or explains why we cannot. */
    void authenticate(String registry, String scope, List<String> challenges) {
        AuthChallenge bearer = null;
        AuthChallenge basic = null;
        for (String h : challenges) {
            AuthChallenge c = AuthChallenge.parse(h);
            if (c.isBearer()) {
                bearer = c;
            } else if (c.isBasic()) {
                basic = c;
            }
        }
        Credentials creds = opts.credentials().get(registry);
        if (bearer != null) {
            cache.put(registry + " " + scope, token(registry, bearer, scope, creds));
        } else if (basic != null && creds != null) {
            cache.put(registry + " " + scope, new Cached(creds.basicHeader(), Instant.MAX));
        } else {
            throw new VesselException(
                    ProblemType.UNAUTHORIZED,
                    "registry " + registry + " requires authentication"
                            + (basic != null
                                    ? " (Basic) and no credentials are configured for it; log in first: vessel login "
                                            + registry
                                    : " but sent no usable challenge"),
                    Map.of("registry", registry),
                    null);
        }
    }

    private Cached token(String registry, AuthChallenge c, String scope, Credentials creds) {
        if (c.realm() == null) {
            throw new VesselException(
                    ProblemType.UNAUTHORIZED,
                    "registry " + registry + " sent a Bearer challenge without a realm",
                    Map.of(),
                    null);
        }
        StringBuilder q = new StringBuilder();
        if (c.service() != null) {
            q.append("service=").append(URLEncoder.encode(c.service(), StandardCharsets.UTF_8));
        }
        String wanted = c.scope() != null ? c.scope() : scope;
        q.append(q.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(wanted, StandardCharsets.UTF_8));
        URI uri = URI.create(c.realm() + (c.realm().contains("?") ? "&" : "?") + q);
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri).timeout(opts.requestTimeout()).GET();
        if (creds != null) {
            b.header("Authorization", creds.basicHeader());
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw RegistryErrors.unreachable("token service " + uri.getHost(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VesselException(ProblemType.UNAVAILABLE, "interrupted while getting a token", Map.of(), e);
        }
        if (r.statusCode() != 200) {
            throw new VesselException(
                    ProblemType.UNAUTHORIZED,
                    "token service " + c.realm() + " refused a token for '" + wanted + "' (" + r.statusCode() + ")"
                            + (creds == null
                                    ? "; no credentials are configured for " + registry + " (vessel login " + registry
                                            + ")"
                                    : ""),
                    Map.of("registry", registry),
                    null);
        }
        JsonNode n = Trees.read(r.body(), "token response");
        String token = n.path("token").asText(n.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new VesselException(
                    ProblemType.UNAUTHORIZED,
                    "token service " + c.realm() + " answered without a token",
                    Map.of(),
                    null);
        }
        long seconds = Math.max(n.path("expires_in").asLong(60), 60);
        // Renew a little early so a token does not expire between our check and the registry's.
        return new Cached("Bearer " + token, Instant.now().plus(Duration.ofSeconds(seconds - 10)));
    }
}
