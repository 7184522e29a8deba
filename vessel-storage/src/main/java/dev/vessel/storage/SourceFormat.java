package dev.vessel.storage;

import dev.vessel.core.error.VesselException;
import java.util.Locale;

/**
 * The disk image formats a volume can be imported from. Each is read by {@code qemu-img convert} with its format given
 * explicitly, never probed, so a raw file that happens to start with a qcow2 header is still read as raw.
 */
public enum SourceFormat {
    qcow2("qcow2"),
    raw("raw"),
    vmdk("vmdk"),
    vhdx("vhdx"),
    vdi("vdi"),
    /** An ISO 9660 image: raw to qemu-img, recognised by its signature. */
    iso("raw");

    private final String qemuDriver;

    SourceFormat(String qemuDriver) {
        this.qemuDriver = qemuDriver;
    }

    /** The driver name qemu-img knows this format by. */
    public String qemuDriver() {
        return qemuDriver;
    }

    public static SourceFormat parse(String field, String text) {
        try {
            return valueOf(text.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw VesselException.invalid(
                    field, "'" + text + "' is not a supported image format; use qcow2, raw, vmdk, vhdx, vdi or iso");
        }
    }
}
