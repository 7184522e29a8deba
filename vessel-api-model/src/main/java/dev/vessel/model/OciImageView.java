package dev.vessel.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How the API shows an OCI image.
 *
 * @param usedBy the containers made from it (which keep it from being removed)
 */
public record OciImageView(
        String id,
        String type,
        List<String> references,
        String manifestDigest,
        String manifestMediaType,
        long sizeBytes,
        int layers,
        Instant createdAt,
        Instant storedAt,
        String os,
        String architecture,
        Config config,
        List<String> usedBy) {

    /** The process defaults a container gets from the image. */
    public record Config(
            List<String> entrypoint,
            List<String> cmd,
            List<String> env,
            String workingDir,
            String user,
            String stopSignal,
            List<String> exposedPorts,
            Map<String, String> labels,
            List<String> volumes) {}
}
