package dev.vessel.image.manifest;

import dev.vessel.image.oci.Descriptor;
import java.util.List;

/** An OCI image manifest or a Docker v2 schema 2 manifest: one config blob and the ordered layer blobs. */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) implements ManifestDocument {
    public ImageManifest {
        layers = List.copyOf(layers);
    }
}
