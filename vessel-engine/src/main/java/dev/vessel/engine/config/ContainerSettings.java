package dev.vessel.engine.config;

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
 * @param logMaxSize from {@code container-log-max-size}: a container's log is rotated past this many bytes (0: never)
 * @param logMaxFiles from {@code container-log-max-files}: how many rotated logs are kept beside the current one
 */
public record ContainerSettings(Set<String> insecureRegistries, boolean copyRootfs, long logMaxSize, int logMaxFiles) {
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

    public ContainerSettings {
        insecureRegistries = Set.copyOf(insecureRegistries);
    }

    public static void defaults(Map<String, String> m) {
        m.put("insecure-registries", "");
        m.put("container-rootfs", "auto");
        m.put("container-log-max-size", "10M");
        m.put("container-log-max-files", "2");
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
            default ->
                throw VesselException.invalid(
                        "container-rootfs", "'" + s.get("container-rootfs") + "' is not auto or copy");
        };
        String size = s.getOrDefault("container-log-max-size", "10M").strip();
        long maxSize = size.equals("0") ? 0 : dev.vessel.core.model.ByteSize.parse("container-log-max-size", size);
        if (maxSize != 0 && maxSize < 4096) {
            throw VesselException.invalid("container-log-max-size", size + " is below 4K (0 turns rotation off)");
        }
        int files;
        try {
            files = Integer.parseInt(
                    s.getOrDefault("container-log-max-files", "2").strip());
        } catch (NumberFormatException e) {
            throw VesselException.invalid(
                    "container-log-max-files", "'" + s.get("container-log-max-files") + "' is not a number");
        }
        if (files < 0 || files > 100) {
            throw VesselException.invalid("container-log-max-files", files + " is outside 0..100");
        }
        return new ContainerSettings(hosts, copy, maxSize, files);
    }
}
