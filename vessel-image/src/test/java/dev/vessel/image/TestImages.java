package dev.vessel.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.image.manifest.ManifestWriter;
import dev.vessel.image.manifest.Trees;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.image.oci.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds complete images (layers, config, manifest) and packs them as OCI layouts or docker-save archives. */
final class TestImages {
    enum Packing {
        TAR,
        GZIP,
        ZSTD
    }

    record Layer(byte[] blob, String mediaType, Digest digest, Digest diffId) {
        Descriptor descriptor() {
            return new Descriptor(mediaType, digest, blob.length);
        }
    }

    record Built(byte[] config, Digest configDigest, byte[] manifest, Digest manifestDigest, List<Layer> layers) {
        Descriptor descriptor(Platform p, Map<String, String> annotations) {
            return new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length, p, annotations);
        }
    }

    private TestImages() {}

    static Layer layer(byte[] tar, Packing packing) {
        return switch (packing) {
            case TAR -> new Layer(tar, MediaTypes.OCI_LAYER, Digest.of(tar), Digest.of(tar));
            case GZIP -> {
                byte[] gz = TarBuilder.gzip(tar);
                yield new Layer(gz, MediaTypes.OCI_LAYER_GZIP, Digest.of(gz), Digest.of(tar));
            }
            case ZSTD -> {
                byte[] z = TarBuilder.zstd(tar);
                yield new Layer(z, MediaTypes.OCI_LAYER_ZSTD, Digest.of(z), Digest.of(tar));
            }
        };
    }

    /** An image whose config sets every process default the store parses. */
    static Built image(Layer... layers) {
        return image(
                List.of(layers), List.of(layers).stream().map(Layer::diffId).toList());
    }

    /** Like {@link #image(Layer...)} but with the diff-ids given, so a test can lie in the config. */
    static Built image(List<Layer> layers, List<Digest> diffIds) {
        ObjectNode root = Trees.mapper().createObjectNode();
        root.put("created", "2024-01-02T03:04:05Z");
        root.put("architecture", Platform.host().architecture());
        root.put("os", "linux");
        ObjectNode c = root.putObject("config");
        c.putArray("Env").add("PATH=/usr/bin:/bin").add("GREETING=hello");
        c.putArray("Entrypoint").add("/bin/sh").add("-c");
        c.putArray("Cmd").add("echo $GREETING");
        c.put("WorkingDir", "/srv");
        c.put("User", "1000:1000");
        c.put("StopSignal", "SIGTERM");
        c.putObject("ExposedPorts").putObject("8080/tcp");
        c.putObject("Labels").put("org.example.team", "vessel");
        c.put("Unmodelled", "ignored"); // foreign fields must not break parsing
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(d -> ids.add(d.toString()));
        byte[] config = bytes(root);
        Descriptor cfg = new Descriptor(MediaTypes.OCI_CONFIG, Digest.of(config), config.length);
        byte[] manifest = ManifestWriter.manifest(
                MediaTypes.OCI_MANIFEST,
                cfg,
                layers.stream().map(Layer::descriptor).toList());
        return new Built(config, cfg.digest(), manifest, Digest.of(manifest), List.copyOf(layers));
    }

    /** An OCI layout dir whose index.json points at a nested index with an amd64/arm64 pair. */
    static Path ociLayout(Path dir, Built img, Built other, String name) {
        write(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        blobs(dir, img);
        blobs(dir, other);
        Platform foreign = Platform.linux(Platform.host().architecture().equals("arm64") ? "amd64" : "arm64");
        byte[] nested = ManifestWriter.index(
                MediaTypes.OCI_INDEX,
                List.of(other.descriptor(foreign, Map.of()), img.descriptor(Platform.host(), Map.of())));
        write(dir.resolve("blobs/sha256/" + Digest.of(nested).hex()), nested);
        Descriptor top = new Descriptor(
                MediaTypes.OCI_INDEX,
                Digest.of(nested),
                nested.length,
                null,
                Map.of("io.containerd.image.name", name, "org.opencontainers.image.ref.name", "latest"));
        write(dir.resolve("index.json"), ManifestWriter.index(MediaTypes.OCI_INDEX, List.of(top)));
        return dir;
    }

    /** A legacy docker-save archive: &lt;id&gt;/layer.tar, &lt;config-hex&gt;.json, manifest.json, repositories. */
    static byte[] dockerSave(Built img, List<String> repoTags) {
        TarBuilder t = new TarBuilder();
        List<String> layerPaths = new ArrayList<>();
        Map<Digest, String> seen = new java.util.HashMap<>();
        for (int i = 0; i < img.layers().size(); i++) {
            Layer l = img.layers().get(i);
            // Legacy ids are per position; docker links a repeated layer to its first copy.
            String id =
                    Digest.of(("layer-" + i).getBytes(StandardCharsets.UTF_8)).hex();
            t.dir(id);
            t.file(id + "/VERSION", "1.0");
            if (seen.containsKey(l.diffId())) {
                t.symlink(id + "/layer.tar", "../" + seen.get(l.diffId()) + "/layer.tar");
            } else {
                t.file(id + "/layer.tar", l.blob(), 0644, 0, 0);
                seen.put(l.diffId(), id);
            }
            layerPaths.add(id + "/layer.tar");
        }
        t.file(img.configDigest().hex() + ".json", img.config(), 0644, 0, 0);
        ObjectNode entry = Trees.mapper().createObjectNode();
        entry.put("Config", img.configDigest().hex() + ".json");
        ArrayNode tags = entry.putArray("RepoTags");
        repoTags.forEach(tags::add);
        ArrayNode layers = entry.putArray("Layers");
        layerPaths.forEach(layers::add);
        t.file(
                "manifest.json",
                new String(bytes(Trees.mapper().createArrayNode().add(entry)), StandardCharsets.UTF_8));
        t.file("repositories", "{}");
        return t.tar();
    }

    static void blobs(Path dir, Built img) {
        write(dir.resolve("blobs/sha256/" + img.configDigest().hex()), img.config());
        write(dir.resolve("blobs/sha256/" + img.manifestDigest().hex()), img.manifest());
        img.layers().forEach(l -> write(dir.resolve("blobs/sha256/" + l.digest().hex()), l.blob()));
    }

    static void write(Path p, byte[] content) {
        TarBuilder.write(p, content);
    }

    static byte[] bytes(Object node) {
        try {
            return Trees.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
