package dev.vessel.image.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageConfig;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an OCI / Docker image config. Foreign JSON: read as a tree so that the many fields we do not use (history,
 * container_config, healthcheck...) are ignored rather than failing the strict project mapper.
 */
public final class ConfigParser {
    private ConfigParser() {}

    public static ImageConfig parse(byte[] json) {
        JsonNode root = Trees.read(json, "image config");
        JsonNode c = root.path("config");
        List<Digest> diffIds = new ArrayList<>();
        JsonNode rootfs = root.path("rootfs");
        if (!rootfs.path("diff_ids").isArray()) {
            throw VesselException.invalid("image config", "rootfs.diff_ids is missing");
        }
        for (JsonNode d : rootfs.path("diff_ids")) {
            diffIds.add(Digest.parse(d.asText()));
        }
        return new ImageConfig(
                text(root, "os"),
                text(root, "architecture"),
                strings(c.path("Env")),
                strings(c.path("Entrypoint")),
                strings(c.path("Cmd")),
                text(c, "WorkingDir"),
                text(c, "User"),
                text(c, "StopSignal"),
                keys(c.path("ExposedPorts")),
                stringMap(c.path("Labels")),
                keys(c.path("Volumes")),
                instant(root.path("created").asText(null)),
                diffIds);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(v -> out.add(v.asText()));
        } else if (n.isTextual()) {
            // Some old images store Cmd as a plain string; it means "sh -c <string>" to Docker.
            out.addAll(List.of("/bin/sh", "-c", n.asText()));
        }
        return out;
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isObject()) {
            n.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isObject()) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // A bad "created" is cosmetic; the image is still usable, so we keep it without a date.
            return null;
        }
    }
}
