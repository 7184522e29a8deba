package dev.vessel.image.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vessel.core.error.VesselException;
import java.io.IOException;

/** JSON trees for foreign documents (manifests, configs, indexes), with errors that name the document. */
public final class Trees {
    // Lenient on purpose: foreign documents carry fields we do not model; we read only what we need.
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Trees() {}

    public static JsonNode read(byte[] json, String what) {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                throw VesselException.invalid(what, "is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new VesselException(
                    dev.vessel.core.error.ProblemType.INVALID_INPUT,
                    what + ": not valid JSON: " + e.getMessage(),
                    java.util.Map.of(),
                    e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
