package dev.vessel.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ByteSize;

/**
 * The sizes a volume may have. qemu-img would round a size up to 512 bytes and accept absurd ones; we refuse both, so
 * what the user asked for is what the guest sees.
 */
public final class VolumeSizes {
    public static final long MIN = 1L << 20;
    /** Far beyond any single disk here, and far below qcow2's own limit, so arithmetic on it never overflows. */
    public static final long MAX = 64L << 40;

    private VolumeSizes() {}

    public static long require(String field, long bytes) {
        if (bytes < MIN || bytes > MAX) {
            throw VesselException.invalid(
                    field, bytes + " bytes is outside " + ByteSize.format(MIN) + ".." + ByteSize.format(MAX));
        }
        if (bytes % 512 != 0) {
            throw VesselException.invalid(field, bytes + " bytes is not a multiple of 512 (a disk has whole sectors)");
        }
        return bytes;
    }

    /** Parses "10G", or "+1G" relative to {@code current}. Overflow and negative results are refused. */
    public static long parse(String field, String text, long current) {
        if (text != null && text.startsWith("+")) {
            long delta = ByteSize.parse(field, text.substring(1));
            try {
                return require(field, Math.addExact(current, delta));
            } catch (ArithmeticException e) {
                throw VesselException.invalid(field, "'" + text + "' overflows");
            }
        }
        return require(field, ByteSize.parse(field, text));
    }
}
