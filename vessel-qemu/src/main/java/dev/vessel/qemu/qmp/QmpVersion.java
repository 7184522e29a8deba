package dev.vessel.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;

/**
 * The QEMU version announced in the QMP greeting ({@code {"QMP": {"version": {"qemu": {...}, "package": ...}}}}).
 *
 * @param packageName the distribution's package string, e.g. {@code "Debian 1:7.2+dfsg-7+deb12u18"}; may be empty
 */
public record QmpVersion(int major, int minor, int micro, String packageName) {
    public QmpVersion {
        packageName = packageName == null ? "" : packageName;
    }

    /** Reads the {@code version} object of a greeting or of a {@code query-version} reply. */
    static QmpVersion from(JsonNode version) {
        JsonNode qemu = version.path("qemu");
        if (!qemu.path("major").canConvertToInt() || !qemu.path("minor").canConvertToInt()) {
            throw VesselException.host("QMP greeting carries no usable QEMU version: " + version, null);
        }
        return new QmpVersion(
                qemu.path("major").asInt(),
                qemu.path("minor").asInt(),
                qemu.path("micro").asInt(),
                version.path("package").asText(""));
    }

    /** True if this QEMU is {@code major.minor} or newer; feature gates compare on this. */
    public boolean isAtLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro;
    }
}
