package dev.vessel.image.blob;

import com.github.luben.zstd.ZstdInputStream;
import dev.vessel.core.error.VesselException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Layer compressions, told apart by magic bytes rather than by media type: {@code docker save} archives and hand-made
 * tarballs carry no media type, and some registries label zstd layers as gzip.
 */
public enum Compression {
    NONE,
    GZIP,
    ZSTD;

    /** Peeks at the first bytes; {@code in} must support mark/reset (wrap it in a BufferedInputStream). */
    public static Compression detect(InputStream in) throws IOException {
        in.mark(8);
        byte[] head = in.readNBytes(6);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (head.length >= 4
                && (head[0] & 0xff) == 0x28
                && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        if (head.length >= 6
                && (head[0] & 0xff) == 0xfd
                && head[1] == '7'
                && head[2] == 'z'
                && head[3] == 'X'
                && head[4] == 'Z') {
            throw VesselException.invalid(
                    "layer", "xz-compressed layers are not supported (only tar, tar+gzip, tar+zstd)");
        }
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            throw VesselException.invalid(
                    "layer", "bzip2-compressed layers are not supported (only tar, tar+gzip, tar+zstd)");
        }
        return NONE;
    }

    /** The decompressed view of {@code raw}, whatever its compression. */
    public static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw, 64 * 1024);
        return switch (detect(in)) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 64 * 1024);
            case ZSTD -> new ZstdInputStream(in);
        };
    }
}
