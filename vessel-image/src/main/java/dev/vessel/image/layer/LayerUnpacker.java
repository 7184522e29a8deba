package dev.vessel.image.layer;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.blob.Compression;
import dev.vessel.image.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Decompresses a layer blob (tar, tar+gzip or tar+zstd, by magic bytes), unpacks it with {@link TarApplier}, and
 * checks the sha256 of the uncompressed stream, the layer's diff-id, against the image config.
 */
public final class LayerUnpacker {
    private LayerUnpacker() {}

    /** What unpacking a layer gave: its diff-id, and the device nodes it had that were skipped. */
    public record Unpacked(Digest diffId, java.util.List<String> skippedDevices) {}

    /**
     * @param expectedDiffId the diff-id the config promises, or null to accept (and return) whatever it is
     * @return the diff-id of what was unpacked
     */
    public static Digest unpack(
            InputStream blob, java.nio.file.Path target, Digest expectedDiffId, ExtractOptions opts) {
        return unpackReporting(blob, target, expectedDiffId, opts).diffId();
    }

    public static Unpacked unpackReporting(
            InputStream blob, java.nio.file.Path target, Digest expectedDiffId, ExtractOptions opts) {
        MessageDigest md = Digest.sha256();
        java.util.List<String> skipped;
        try (InputStream plain = Compression.decompress(blob)) {
            DigestInputStream hashed = new DigestInputStream(plain, md);
            skipped = TarApplier.apply(hashed, target, opts);
            // The tar reader stops at the end-of-archive blocks; the diff-id covers every byte, padding included.
            hashed.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw UnsafeArchive.corrupt("layer", e);
        }
        Digest actual = Digest.fromHash(md.digest());
        if (expectedDiffId != null && !expectedDiffId.equals(actual)) {
            throw new VesselException(
                    ProblemType.INVALID_INPUT,
                    "bad digest: the uncompressed layer hashes to " + actual + " but the image config lists diff_id "
                            + expectedDiffId,
                    Map.of("diffId", expectedDiffId.toString()),
                    null);
        }
        return new Unpacked(actual, skipped);
    }
}
