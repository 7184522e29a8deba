package dev.vessel.http;

import dev.vessel.access.Caller;
import dev.vessel.core.error.VesselException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One parsed HTTP/1.1 request. Header names are case-insensitive; path parameters are filled in by the router, the
 * caller by the face's authentication (anonymous until then).
 */
public record HttpRequest(
        String method,
        String path,
        String rawPath,
        Map<String, List<String>> query,
        Map<String, String> headers,
        RequestBody content,
        Map<String, String> pathParams,
        String listener,
        String remote,
        Caller caller,
        String clientCertificate) {

    public static HttpRequest of(
            String method, String target, Map<String, String> headers, byte[] body, String listener) {
        return of(method, target, headers, RequestBody.of(body), listener);
    }

    public static HttpRequest of(
            String method, String target, Map<String, String> headers, RequestBody body, String listener) {
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        var query = q < 0 ? Map.<String, List<String>>of() : parseQuery(target.substring(q + 1));
        var h = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return new HttpRequest(
                method, decode(rawPath), rawPath, query, h, body, Map.of(), listener, "local", Caller.ANONYMOUS, null);
    }

    public HttpRequest withPathParams(Map<String, String> params) {
        return new HttpRequest(
                method,
                path,
                rawPath,
                query,
                headers,
                content,
                Map.copyOf(params),
                listener,
                remote,
                caller,
                clientCertificate);
    }

    /** The client's address ({@code 10.0.0.5}, or {@code local} on the unix socket). */
    public HttpRequest withRemote(String address) {
        return new HttpRequest(
                method,
                path,
                rawPath,
                query,
                headers,
                content,
                pathParams,
                listener,
                address,
                caller,
                clientCertificate);
    }

    /** The request once its caller is known. */
    public HttpRequest withCaller(Caller who) {
        return new HttpRequest(
                method, path, rawPath, query, headers, content, pathParams, listener, remote, who, clientCertificate);
    }

    /** The SHA-256 fingerprint of the certificate the client showed in the TLS handshake, as the server saw it. */
    public HttpRequest withClientCertificate(String fingerprint) {
        return new HttpRequest(
                method, path, rawPath, query, headers, content, pathParams, listener, remote, caller, fingerprint);
    }

    /** The whole body (at most {@link RequestBody#MAX_BUFFERED} bytes, else 413), for JSON documents. */
    public byte[] body() {
        return content.bytes();
    }

    /** The body as it arrives, for uploads that must not be held in memory. */
    public java.io.InputStream bodyStream() {
        return content.stream();
    }

    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no {" + name + "}");
        }
        return v;
    }

    public Optional<String> queryParam(String name) {
        var v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getLast());
    }

    public boolean queryFlag(String name) {
        return queryParam(name)
                .map(v -> switch (v) {
                    case "", "1", "true", "yes" -> true;
                    case "0", "false", "no" -> false;
                    default -> throw VesselException.invalid(name, "'" + v + "' is not a boolean (true|false)");
                })
                .orElse(false);
    }

    public int queryInt(String name, int dflt, int min, int max) {
        var v = queryParam(name);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw VesselException.invalid(name, n + " is outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw VesselException.invalid(name, "'" + v.get() + "' is not a whole number");
        }
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** The header that names the project a request is for, as Incus's {@code ?project=} does in the query. */
    public static final String PROJECT_HEADER = "X-Vessel-Project";

    /** The project the request is for: {@code ?project=}, else the {@value #PROJECT_HEADER} header, else default. */
    public String project() {
        String p = queryParam("project").or(() -> header(PROJECT_HEADER)).orElse(null);
        if (p == null || p.isEmpty()) {
            return dev.vessel.core.model.ProjectKey.DEFAULT_PROJECT;
        }
        return dev.vessel.core.model.Names.requireValid("project", p);
    }

    /** The engine's key of instance {@code name} in the request's project. */
    public String instanceKey(String name) {
        return dev.vessel.core.model.ProjectKey.of(project(), name);
    }

    /** Whether the request is for one project only (not {@code ?all-projects=true}). */
    public boolean inOneProject(String key) {
        return queryFlag("all-projects")
                || dev.vessel.core.model.ProjectKey.projectOf(key).equals(project());
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        var out = new LinkedHashMap<String, List<String>>();
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = decode(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : decode(part.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw VesselException.invalid("url", "bad percent-encoding in '" + s + "'");
        }
    }
}
