package dev.vessel.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How the API shows an OCI image: as it is in one {@code project} (the one whose names it lists; the image itself,
 * its blobs and layers, may be shared with other projects that hold it too).
 *
 * @param references its names in the project
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
        List<String> usedBy,
        String project) {

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
