package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.http.ApiClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The CLI's view of the daemon: JSON in, JSON out, problems turned into {@link CliError}s. */
public final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Reads and writes the API model's records: the project's JSON settings (ISO times), but lenient on input, as a
     * client of a versioned API must be.
     */
    static final ObjectMapper MODEL = dev.vessel.host.Json.MAPPER
            .copy()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final ApiClient client;

    public Api(ApiClient client) {
        this.client = client;
    }

    public ApiClient client() {
        return client;
    }

    public JsonNode get(String path) {
        return call("GET", path, null);
    }

    public JsonNode post(String path, JsonNode body) {
        return call("POST", path, body);
    }

    /** Posts a record of the API model (dev.vessel.model), as the daemon reads it. */
    public JsonNode send(String path, Object request) {
        return call("POST", path, MODEL.valueToTree(request));
    }

    /** A record of the API model from GET {@code path}. */
    public <T> T get(String path, Class<T> type) {
        return read(get(path), type);
    }

    /** An answer as a record of the API model; fields a newer daemon adds are skipped, so they never break this client. */
    static <T> T read(JsonNode answer, Class<T> type) {
        try {
            return MODEL.treeToValue(answer, type);
        } catch (IOException e) {
            throw new CliError(
                    ExitCodes.FAILED,
                    "the daemon sent a " + type.getSimpleName() + " the CLI cannot read: " + e.getMessage());
        }
    }

    /** A list of records of the API model. */
    static <T> java.util.List<T> readList(JsonNode answer, Class<T> type) {
        var out = new java.util.ArrayList<T>();
        answer.forEach(n -> out.add(read(n, type)));
        return out;
    }

    public JsonNode delete(String path) {
        return call("DELETE", path, null);
    }

    public JsonNode call(String method, String path, JsonNode body) {
        ApiClient.Response r;
        try {
            r = client.call(
                    method,
                    path,
                    body == null ? (method.equals("POST") ? new byte[0] : null) : JSON.writeValueAsBytes(body));
        } catch (VesselException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, e.getMessage());
        } catch (IOException e) {
            throw new CliError(ExitCodes.FAILED, e.getMessage());
        }
        if (!r.ok()) {
            throw problem(r.status(), r.body());
        }
        if (r.body().length == 0) {
            return JSON.nullNode();
        }
        String ct = r.headers().getOrDefault("Content-Type", "");
        if (!ct.contains("json")) {
            return JSON.getNodeFactory().textNode(r.text());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new CliError(ExitCodes.FAILED, "the daemon sent JSON the CLI cannot read: " + e.getMessage());
        }
    }

    static CliError problem(int status, byte[] body) {
        try {
            JsonNode p = JSON.readTree(body);
            return new CliError(
                    ExitCodes.forProblem(p.path("code").asText()),
                    p.path("detail").asText("HTTP " + status));
        } catch (IOException e) {
            return new CliError(ExitCodes.FAILED, "HTTP " + status + ": " + new String(body, StandardCharsets.UTF_8));
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
