package dev.vessel.engine.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;

/** podman's {@code --userns} values that Vessel takes: {@code host} (the default) and {@code auto}. */
final class UsernsOption {
    private UsernsOption() {}

    /** The mode the request asks for; null or blank is the host's user namespace. */
    static String parse(String userns) {
        if (userns == null || userns.isBlank()) {
            return ContainerSpec.USERNS_HOST;
        }
        String v = userns.strip();
        if (v.equals(ContainerSpec.USERNS_HOST) || v.equals(ContainerSpec.USERNS_AUTO)) {
            return v;
        }
        throw VesselException.invalid(
                "userns",
                "'" + v + "' is not supported (allowed: " + ContainerSpec.USERNS_HOST + ", " + ContainerSpec.USERNS_AUTO
                        + ")");
    }
}
