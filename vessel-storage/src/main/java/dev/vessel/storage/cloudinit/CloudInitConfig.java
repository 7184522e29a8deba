package dev.vessel.storage.cloudinit;

import dev.vessel.core.error.VesselException;
import java.nio.charset.StandardCharsets;

/**
 * The three documents of a NoCloud seed, as cloud-init reads them from a volume labelled {@code cidata}.
 *
 * @param networkConfig null for none (cloud-init then runs DHCP on the first NIC)
 */
public record CloudInitConfig(String userData, String metaData, String networkConfig) {
    /** cloud-init itself accepts more, but a seed is configuration, not a payload. */
    public static final int MAX_DOCUMENT = 256 * 1024;

    public CloudInitConfig {
        check("userData", userData, true);
        check("metaData", metaData, true);
        check("networkConfig", networkConfig, false);
    }

    private static void check(String field, String text, boolean required) {
        if (text == null) {
            if (required) {
                throw VesselException.invalid("cloudInit." + field, "is required");
            }
            return;
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_DOCUMENT) {
            throw VesselException.invalid("cloudInit." + field, "is larger than " + MAX_DOCUMENT + " bytes");
        }
        if (text.indexOf('\0') >= 0) {
            throw VesselException.invalid("cloudInit." + field, "contains a NUL byte");
        }
    }
}
