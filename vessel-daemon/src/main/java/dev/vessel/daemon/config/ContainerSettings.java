package dev.vessel.daemon.config;

import dev.vessel.core.error.VesselException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The daemon's container and registry settings.
 *
 * @param insecureRegistries registries ({@code host} or {@code host:port}) that may be reached over plain http, from
 *     {@code insecure-registries} (comma-separated); loopback registries always may
 * @param copyRootfs from {@code container-rootfs}: {@code auto} uses overlayfs where it works, {@code copy} gives every
 *     new container a flattened copy of its image (slower, for file systems overlayfs cannot sit on)
 */
public record ContainerSettings(Set<String> insecureRegistries, boolean copyRootfs) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

    public ContainerSettings {
        insecureRegistries = Set.copyOf(insecureRegistries);
    }

    public static void defaults(Map<String, String> m) {
        m.put("insecure-registries", "");
        m.put("container-rootfs", "auto");
    }

    public static ContainerSettings from(Map<String, String> s) {
        var hosts = new LinkedHashSet<String>();
        for (String h : s.get("insecure-registries").split(",")) {
            String t = h.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (!HOST.matcher(t).matches()) {
                throw VesselException.invalid("insecure-registries", "'" + t + "' is not a registry host or host:port");
            }
            hosts.add(t);
        }
        boolean copy = switch (s.get("container-rootfs").strip()) {
            case "auto" -> false;
            case "copy" -> true;
            default -> throw VesselException.invalid("container-rootfs", "'" + s.get("container-rootfs") + "' is not auto or copy");
        };
        return new ContainerSettings(hosts, copy);
    }
}
