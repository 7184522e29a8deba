package dev.vessel.storage;

import dev.vessel.core.error.VesselException;
import java.util.Locale;

/** How a volume stores its blocks. qcow2 has snapshots and backing files; raw is plain and fastest. */
public enum VolumeFormat {
    qcow2,
    raw;

    public static VolumeFormat parse(String field, String text) {
        if (text == null) {
            return qcow2;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "qcow2" -> qcow2;
            case "raw" -> raw;
            default -> throw VesselException.invalid(field, "'" + text + "' is not a volume format; use qcow2 or raw");
        };
    }

    /** The file name extension, which is also how a directory pool tells the format of a file. */
    public String extension() {
        return name();
    }
}
