package dev.vessel.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.manifest.Trees;
import dev.vessel.image.oci.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns registry error answers ({@code {"errors":[{"code":..,"message":..}]}}) into messages a person can act on. */
final class RegistryErrors {
    private RegistryErrors() {}

    /**
     * @param what "manifest" or "blob"
     * @param id the tag or digest asked for
     */
    static VesselException of(int status, byte[] body, ImageReference ref, String what, String id) {
        List<String> codes = new ArrayList<>();
        String detail = describe(body, codes);
        String name = ref.familiarName();
        Map<String, Object> details = Map.of("registry", ref.registry(), "status", status);
        if (status == 404
                || codes.contains("MANIFEST_UNKNOWN")
                || codes.contains("BLOB_UNKNOWN")
                || codes.contains("NAME_UNKNOWN")) {
            if (codes.contains("NAME_UNKNOWN")) {
                return new VesselException(
                        ProblemType.NOT_FOUND,
                        "repository '" + name + "' not found on " + ref.registry(),
                        details,
                        null);
            }
            String kind = id.startsWith("sha256:") ? "digest" : "tag";
            String msg = what.equals("manifest")
                    ? "manifest unknown: " + kind + " '" + id + "' not found in '" + name + "'"
                    : "blob unknown: " + id + " not found in '" + name + "'";
            return new VesselException(ProblemType.NOT_FOUND, msg, details, null);
        }
        if (status == 401 || status == 403) {
            return new VesselException(
                    ProblemType.UNAUTHORIZED,
                    "access to '" + name + "' denied by " + ref.registry() + " (" + status + detail
                            + "); a private image needs credentials",
                    details,
                    null);
        }
        if (status == 429) {
            return new VesselException(
                    ProblemType.UNAVAILABLE,
                    ref.registry() + " is rate-limiting pulls (429" + detail + "); try again later",
                    details,
                    null);
        }
        return new VesselException(
                ProblemType.UNAVAILABLE,
                ref.registry() + " answered " + status + " for " + what + " " + id + " of '" + name + "'" + detail,
                details,
                null);
    }

    static VesselException unreachable(String registry, IOException e) {
        String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new VesselException(
                ProblemType.UNAVAILABLE,
                "cannot reach registry " + registry + ": " + why,
                Map.of("registry", registry),
                e);
    }

    private static String describe(byte[] body, List<String> codes) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode n = Trees.mapper().readTree(body);
            StringBuilder sb = new StringBuilder();
            for (JsonNode e : n.path("errors")) {
                codes.add(e.path("code").asText());
                sb.append(sb.isEmpty() ? ": " : "; ")
                        .append(e.path("code").asText())
                        .append(' ')
                        .append(e.path("message").asText());
            }
            return sb.toString();
        } catch (IOException e) {
            // Not the registry error format (a proxy's HTML page, say): show the start of it instead.
            String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : ": " + text;
        }
    }
}
