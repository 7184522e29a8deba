package dev.vessel.image.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.image.oci.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses manifests and indexes of both the OCI and the Docker v2 schema 2 flavours. */
public final class ManifestParser {
    private ManifestParser() {}

    /**
     * @param contentType the HTTP Content-Type, or null; the document's own mediaType wins because some
     *     registries answer with a generic type
     */
    public static ManifestDocument parse(byte[] body, String contentType) {
        JsonNode root = Trees.read(body, "manifest");
        if (root.path("schemaVersion").asInt() == 1) {
            throw VesselException.invalid(
                    "manifest",
                    "Docker schema 1 manifests are not supported (the image is too old; re-push it with a current client)");
        }
        String mediaType = root.path("mediaType").asText(null);
        if (mediaType == null) {
            mediaType = contentType != null && !contentType.isBlank() && !contentType.startsWith("application/json")
                    ? contentType.split(";")[0].trim()
                    : root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (MediaTypes.INDEXES.contains(mediaType)) {
            List<Descriptor> manifests = new ArrayList<>();
            for (JsonNode m : root.path("manifests")) {
                manifests.add(descriptor(m));
            }
            return new ImageIndex(mediaType, manifests);
        }
        if (MediaTypes.MANIFESTS.contains(mediaType)) {
            if (!root.path("config").isObject()) {
                throw VesselException.invalid("manifest", "has no config descriptor");
            }
            List<Descriptor> layers = new ArrayList<>();
            for (JsonNode l : root.path("layers")) {
                Descriptor d = descriptor(l);
                if (!MediaTypes.isLayer(d.mediaType())) {
                    throw VesselException.invalid(
                            "manifest",
                            "layer " + d.digest().shortId() + " has unsupported media type '" + d.mediaType() + "'");
                }
                layers.add(d);
            }
            Descriptor config = descriptor(root.path("config"));
            if (!MediaTypes.CONFIGS.contains(config.mediaType())) {
                throw VesselException.invalid(
                        "manifest",
                        "this is not a container image but an artifact with config type '" + config.mediaType() + "'");
            }
            return new ImageManifest(mediaType, config, layers);
        }
        throw VesselException.invalid("manifest", "unsupported media type '" + mediaType + "'");
    }

    public static ImageManifest parseManifest(byte[] body) {
        if (parse(body, null) instanceof ImageManifest m) {
            return m;
        }
        throw VesselException.invalid("manifest", "expected an image manifest but found an index");
    }

    static Descriptor descriptor(JsonNode n) {
        if (!n.path("digest").isTextual()) {
            throw VesselException.invalid("manifest", "a descriptor has no digest");
        }
        long size = n.path("size").asLong(-1);
        if (size < 0) {
            throw VesselException.invalid(
                    "manifest", "descriptor " + n.path("digest").asText() + " has no valid size");
        }
        Platform platform = null;
        JsonNode p = n.path("platform");
        if (p.isObject()) {
            platform = new Platform(
                    p.path("os").asText(""),
                    p.path("architecture").asText(""),
                    p.path("variant").asText(null));
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        n.path("annotations")
                .properties()
                .forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        return new Descriptor(
                n.path("mediaType").asText(""), Digest.parse(n.path("digest").asText()), size, platform, annotations);
    }
}
