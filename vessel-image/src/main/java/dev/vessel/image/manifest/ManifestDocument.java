package dev.vessel.image.manifest;

/** What a manifest URL or blob can hold: one image's manifest, or an index of per-platform manifests. */
public sealed interface ManifestDocument permits ImageManifest, ImageIndex {
    String mediaType();
}
