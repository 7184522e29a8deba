package dev.vessel.image.oci;

import java.util.Map;

/** An OCI content descriptor: what a manifest or index says about one blob it points at. */
public record Descriptor(
        String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations) {
    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, Map.of());
    }
}
