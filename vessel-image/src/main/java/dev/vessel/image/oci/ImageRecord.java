package dev.vessel.image.oci;

import java.time.Instant;
import java.util.List;

/**
 * A stored image. Its id is its config digest, as with Docker: the same image pulled gzip- or zstd-compressed is the
 * same image.
 *
 * @param layers lowest first
 * @param size the bytes of its layer blobs
 */
public record ImageRecord(
        Digest id,
        Digest manifestDigest,
        String manifestMediaType,
        List<LayerRef> layers,
        ImageConfig config,
        long size,
        Instant storedAt) {

    public ImageRecord {
        layers = List.copyOf(layers);
    }

    public Digest configDigest() {
        return id;
    }
}
