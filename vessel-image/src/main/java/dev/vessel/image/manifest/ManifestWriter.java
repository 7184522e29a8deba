package dev.vessel.image.manifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.Platform;
import java.time.Instant;
import java.util.List;

/**
 * Writes the OCI documents the store generates itself: a config for an imported rootfs, and a manifest for images
 * that arrive without one (rootfs import, legacy {@code docker save}), so that every stored image has a manifest
 * digest. Also used by tests to build images.
 */
public final class ManifestWriter {
    private ManifestWriter() {}

    public static byte[] manifest(String mediaType, Descriptor config, List<Descriptor> layers) {
        ObjectNode root = Trees.mapper().createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", mediaType);
        root.set("config", node(config));
        ArrayNode arr = root.putArray("layers");
        layers.forEach(l -> arr.add(node(l)));
        return bytes(root);
    }

    public static byte[] index(String mediaType, List<Descriptor> manifests) {
        ObjectNode root = Trees.mapper().createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", mediaType);
        ArrayNode arr = root.putArray("manifests");
        manifests.forEach(m -> arr.add(node(m)));
        return bytes(root);
    }

    /** A minimal config for a rootfs tarball: no entrypoint, so a run must name its command. */
    public static byte[] rootfsConfig(Platform platform, List<Digest> diffIds, Instant created, String createdBy) {
        ObjectNode root = Trees.mapper().createObjectNode();
        root.put("created", created.toString());
        root.put("architecture", platform.architecture());
        root.put("os", platform.os());
        ObjectNode config = root.putObject("config");
        config.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(d -> ids.add(d.toString()));
        ObjectNode history = root.putArray("history").addObject();
        history.put("created", created.toString());
        history.put("created_by", createdBy);
        return bytes(root);
    }

    public static ObjectNode node(Descriptor d) {
        ObjectNode n = Trees.mapper().createObjectNode();
        n.put("mediaType", d.mediaType());
        n.put("digest", d.digest().toString());
        n.put("size", d.size());
        if (d.platform() != null) {
            ObjectNode p = n.putObject("platform");
            p.put("architecture", d.platform().architecture());
            p.put("os", d.platform().os());
            if (d.platform().variant() != null) {
                p.put("variant", d.platform().variant());
            }
        }
        if (!d.annotations().isEmpty()) {
            ObjectNode a = n.putObject("annotations");
            d.annotations().forEach(a::put);
        }
        return n;
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return Trees.mapper().writeValueAsBytes(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a manifest", e);
        }
    }
}
