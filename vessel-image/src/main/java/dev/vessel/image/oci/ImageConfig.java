package dev.vessel.image.oci;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a container runtime needs from an image's config blob: process defaults, exposed ports, labels and the
 * ordered diff-ids of its layers (the sha256 of each uncompressed layer tar, which is how layers are shared).
 *
 * @param exposedPorts in the config's own form, e.g. {@code 80/tcp}
 * @param created null when the config has none or an unreadable one
 */
public record ImageConfig(
        String os,
        String architecture,
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        String workingDir,
        String user,
        String stopSignal,
        List<String> exposedPorts,
        Map<String, String> labels,
        List<String> volumes,
        Instant created,
        List<Digest> diffIds) {

    public ImageConfig {
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
    }
}
