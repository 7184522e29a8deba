package dev.vessel.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.host.Json;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's JSON as clients send it: lenient about fields we do not know (every client sends dozens), strict about
 * the types of the ones we read, so a wrong type is a 400 that names the field rather than a silent default.
 */
final class DockerJson {
    static final int MAX_BODY = 4 * 1024 * 1024;

    private DockerJson() {}

    static ObjectNode body(HttpRequest req) {
        byte[] b = req.body();
        if (b.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(b);
        } catch (JsonProcessingException e) {
            throw DockerErrors.invalid("invalid JSON: " + e.getOriginalMessage().split("\n")[0]);
        } catch (java.io.IOException e) {
            throw DockerErrors.invalid("cannot read the request body: " + e.getMessage());
        }
        if (n == null || n.isNull() || n.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!(n instanceof ObjectNode o)) {
            throw DockerErrors.invalid("the request body must be a JSON object");
        }
        return o;
    }

    static HttpResponse ok(Object value) {
        return json(200, value);
    }

    static HttpResponse json(int status, Object value) {
        return HttpResponse.json(status, Json.bytes(value));
    }

    /** A string field, or null when absent or null; 400 when it has another type. */
    static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrong(field, "a string");
        }
        return n.asText();
    }

    static boolean bool(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw wrong(field, "true or false");
        }
        return n.asBoolean();
    }

    /** A whole number, or {@code dflt} when absent or null. */
    static long number(JsonNode o, String field, long dflt) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw wrong(field, "a whole number");
        }
        return n.asLong();
    }

    /** Docker's StrSlice: a list of strings, or one string; null when absent or null. */
    static List<String> strings(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            throw wrong(field, "a list of strings");
        }
        var out = new ArrayList<String>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw wrong(field, "a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** An object of string values (labels, options); empty when absent or null. */
    static Map<String, String> stringMap(JsonNode o, String field) {
        JsonNode n = o.get(field);
        var out = new LinkedHashMap<String, String>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw wrong(field, "an object of strings");
        }
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual() && !e.getValue().isNull()) {
                throw wrong(field + "." + e.getKey(), "a string");
            }
            out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        }
        return out;
    }

    /** An object field, or an empty object when absent or null. */
    static JsonNode object(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw wrong(field, "an object");
        }
        return n;
    }

    private static dev.vessel.core.error.VesselException wrong(String field, String what) {
        return DockerErrors.invalid("json: " + field + " must be " + what);
    }
}
