package dev.vessel.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's {@code filters} query parameter: {@code {"label": {"a=b": true}}} (the form since API 1.22) or
 * {@code {"label": ["a=b"]}} (the older one, which docker-py still sends), read as key to values.
 */
record ContainerFilters(Map<String, List<String>> filters) {
    static ContainerFilters parse(String json, List<String> known) {
        var out = new LinkedHashMap<String, List<String>>();
        if (json == null || json.isBlank()) {
            return new ContainerFilters(out);
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw DockerErrors.invalid("invalid filter: " + ContainerRefs.printable(json));
        }
        if (n == null || !n.isObject()) {
            throw DockerErrors.invalid("invalid filter: the filters must be a JSON object");
        }
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!known.contains(e.getKey())) {
                throw DockerErrors.invalid("invalid filter '" + ContainerRefs.printable(e.getKey()) + "'");
            }
            var values = new ArrayList<String>();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                v.forEach(x -> values.add(x.asText()));
            } else if (v.isObject()) {
                v.fields().forEachRemaining(x -> {
                    if (x.getValue().asBoolean(true)) {
                        values.add(x.getKey());
                    }
                });
            } else {
                throw DockerErrors.invalid("invalid filter '" + e.getKey() + "': want a list or an object");
            }
            out.put(e.getKey(), values);
        }
        return new ContainerFilters(out);
    }

    List<String> get(String key) {
        return filters.getOrDefault(key, List.of());
    }

    /** No values for {@code key}, or one of them matches (Docker ORs the values of a key and ANDs the keys). */
    boolean any(String key, java.util.function.Predicate<String> match) {
        var values = get(key);
        return values.isEmpty() || values.stream().anyMatch(match);
    }

    /** Every {@code label} filter holds: {@code key} is there, or {@code key=value} is. */
    boolean labels(Map<String, String> labels) {
        for (String f : get("label")) {
            int eq = f.indexOf('=');
            if (eq < 0 ? !labels.containsKey(f) : !f.substring(eq + 1).equals(labels.get(f.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }
}
