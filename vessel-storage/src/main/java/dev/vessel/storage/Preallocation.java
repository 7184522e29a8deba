package dev.vessel.storage;

import dev.vessel.core.error.VesselException;
import java.util.Locale;

/**
 * How much of a new volume is allocated up front: {@code off} is sparse (blocks are allocated when written),
 * {@code metadata} (qcow2 only) lays out the tables, {@code falloc} reserves the blocks without writing them,
 * {@code full} writes zeros over the whole size.
 */
public enum Preallocation {
    off,
    metadata,
    falloc,
    full;

    public static Preallocation parse(String field, String text) {
        if (text == null) {
            return off;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "off", "sparse" -> off;
            case "metadata" -> metadata;
            case "falloc", "preallocated" -> falloc;
            case "full" -> full;
            default ->
                throw VesselException.invalid(
                        field, "'" + text + "' is not one of off (sparse), metadata, falloc, full");
        };
    }

    /** True when the whole size is reserved on the pool's storage at creation. */
    public boolean reservesSpace() {
        return this == falloc || this == full;
    }
}
