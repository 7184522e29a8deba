package dev.vessel.image;

import dev.vessel.image.oci.Digest;

/**
 * @param untagged the reference removed
 * @param deleted the image whose last reference it was, or null if the image is still referenced; its blobs and
 *     layers stay until {@link OciImageStore#gc()}
 */
public record RemoveResult(String untagged, Digest deleted) {}
