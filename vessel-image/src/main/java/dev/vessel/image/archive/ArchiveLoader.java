package dev.vessel.image.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.blob.Compression;
import dev.vessel.image.manifest.ImageIndex;
import dev.vessel.image.manifest.ImageManifest;
import dev.vessel.image.manifest.ManifestDocument;
import dev.vessel.image.manifest.ManifestParser;
import dev.vessel.image.manifest.ManifestWriter;
import dev.vessel.image.manifest.Trees;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageReference;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.image.oci.Platform;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code docker save} archives ({@code manifest.json} with RepoTags, Config and Layers paths; both the legacy
 * {@code <id>/layer.tar} layout and the newer one with {@code blobs/sha256}) and OCI image layouts
 * ({@code oci-layout} + {@code index.json}), as a tar (optionally compressed) or as a directory. Where an archive has
 * both, as Docker 25+ writes them, {@code manifest.json} wins because it carries the tags.
 */
public final class ArchiveLoader {
    /**
     * One image found in the archive: its manifest (generated for docker-save archives) and its references.
     *
     * @param bareTag an OCI layout's ref.name when it is a tag alone ("latest", "1.2"), which names no repository:
     *     the image gets a name only from the user ({@code image load --name}); null otherwise
     */
    public record Loaded(Digest manifestDigest, ImageManifest manifest, List<String> references, String bareTag) {
        public Loaded(Digest manifestDigest, ImageManifest manifest, List<String> references) {
            this(manifestDigest, manifest, references, null);
        }
    }

    private final BlobSink sink;
    private final Platform platform;

    public ArchiveLoader(BlobSink sink, Platform platform) {
        this.sink = sink;
        this.platform = platform;
    }

    public List<Loaded> read(Path archive) {
        ArchiveContents c = ArchiveContents.read(archive, sink);
        if (c.has("manifest.json")) {
            return dockerSave(c);
        }
        if (c.has("index.json")) {
            return ociLayout(c);
        }
        throw VesselException.invalid(
                "archive",
                "'" + archive.getFileName()
                        + "' is neither a docker save archive nor an OCI image layout (no manifest.json or index.json)");
    }

    private List<Loaded> dockerSave(ArchiveContents c) {
        JsonNode root = tree(c, "manifest.json");
        if (!root.isArray() || root.isEmpty()) {
            throw VesselException.invalid("archive", "manifest.json lists no images");
        }
        List<Loaded> out = new ArrayList<>();
        for (JsonNode img : root) {
            Digest config = c.require(img.path("Config").asText());
            byte[] configBytes = sink.read(config);
            List<Descriptor> layers = new ArrayList<>();
            for (JsonNode l : img.path("Layers")) {
                Digest d = c.require(l.asText());
                layers.add(new Descriptor(layerType(d), d, sink.size(d)));
            }
            Descriptor cfg = new Descriptor(MediaTypes.OCI_CONFIG, config, configBytes.length);
            byte[] manifest = ManifestWriter.manifest(MediaTypes.OCI_MANIFEST, cfg, layers);
            Digest md = sink.put(new ByteArrayInputStream(manifest), null, manifest.length);
            List<String> refs = new ArrayList<>();
            for (JsonNode t : img.path("RepoTags")) {
                refs.add(ImageReference.parse(t.asText()).localRef());
            }
            out.add(new Loaded(md, new ImageManifest(MediaTypes.OCI_MANIFEST, cfg, layers), refs));
        }
        return out;
    }

    private List<Loaded> ociLayout(ArchiveContents c) {
        if (c.has("oci-layout")) {
            JsonNode layout = tree(c, "oci-layout");
            if (!"1.0.0".equals(layout.path("imageLayoutVersion").asText())) {
                throw VesselException.invalid(
                        "archive",
                        "unsupported imageLayoutVersion '"
                                + layout.path("imageLayoutVersion").asText() + "'");
            }
        }
        ManifestDocument index = ManifestParser.parse(sink.read(c.require("index.json")), MediaTypes.OCI_INDEX);
        if (!(index instanceof ImageIndex idx)) {
            throw VesselException.invalid("archive", "index.json is not an image index");
        }
        List<Loaded> out = new ArrayList<>();
        for (Descriptor d : idx.manifests()) {
            if (d.platform() != null && !platform.accepts(d.platform())) {
                continue; // Another platform's image, or an attestation manifest.
            }
            ManifestDocument doc = ManifestParser.parse(blob(c, d), d.mediaType());
            Descriptor chosen = d;
            if (doc instanceof ImageIndex nested) {
                chosen = nested.select(platform, "the index " + d.digest().shortId());
                doc = ManifestParser.parse(blob(c, chosen), chosen.mediaType());
            }
            if (!(doc instanceof ImageManifest m)) {
                throw VesselException.invalid(
                        "archive", "the index " + chosen.digest().shortId() + " points at another index");
            }
            blob(c, m.config());
            for (Descriptor l : m.layers()) {
                blob(c, l);
            }
            out.add(new Loaded(chosen.digest(), m, references(d), bareTag(d)));
        }
        if (out.isEmpty()) {
            throw VesselException.invalid("archive", "index.json has no image for " + platform);
        }
        return out;
    }

    /** The blob a descriptor names, which must be in the archive with that very digest. */
    private byte[] blob(ArchiveContents c, Descriptor d) {
        Digest actual = c.require("blobs/sha256/" + d.digest().hex());
        if (!actual.equals(d.digest())) {
            throw VesselException.invalid("archive", "bad digest: blob " + d.digest() + " hashes to " + actual);
        }
        return MediaTypes.isLayer(d.mediaType()) ? new byte[0] : sink.read(actual);
    }

    /** containerd and Docker put the full name in io.containerd.image.name; ref.name may be a bare tag, which names nothing. */
    private static List<String> references(Descriptor d) {
        String full = d.annotations().get("io.containerd.image.name");
        String ref = full != null ? full : d.annotations().get("org.opencontainers.image.ref.name");
        if (ref == null || !(ref.contains(":") || ref.contains("/"))) {
            return List.of();
        }
        return List.of(ImageReference.parse(ref).localRef());
    }

    /** The OCI ref.name when it is only a tag (no repository): "latest" in layouts that skopeo or buildah wrote. */
    private static String bareTag(Descriptor d) {
        String ref = d.annotations().get("org.opencontainers.image.ref.name");
        return d.annotations().get("io.containerd.image.name") == null
                        && ref != null
                        && !ref.contains(":")
                        && !ref.contains("/")
                        && ref.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
                ? ref
                : null;
    }

    private String layerType(Digest d) {
        try (InputStream in = new java.io.BufferedInputStream(sink.open(d))) {
            return switch (Compression.detect(in)) {
                case NONE -> MediaTypes.OCI_LAYER;
                case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read layer " + d, e);
        }
    }

    private JsonNode tree(ArchiveContents c, String name) {
        byte[] bytes = sink.read(c.require(name));
        try {
            return Trees.mapper().readTree(bytes);
        } catch (IOException e) {
            throw VesselException.invalid("archive", name + " is not valid JSON: " + e.getMessage());
        }
    }
}
