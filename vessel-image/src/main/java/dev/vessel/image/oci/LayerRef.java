package dev.vessel.image.oci;

/**
 * One layer of a stored image.
 *
 * @param blob the digest of the layer blob as stored (compressed, as received)
 * @param diffId the digest of the uncompressed tar, which names the unpacked dir {@code ROOT/layers/<hex>}
 */
public record LayerRef(Digest blob, Digest diffId, String mediaType, long size) {}
