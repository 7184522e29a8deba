package dev.vessel.engine.container;

import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.ImageInfo;
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
            List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user, String stopSignal,
            List<String> exposedPorts, Map<String, String> labels, List<String> volumes) {}

    static OciImageView of(ImageInfo i, List<String> users) {
        ImageConfig c = i.image().config();
        return new OciImageView(i.id().toString(), "oci", i.references(), i.image().manifestDigest().toString(), i.image().manifestMediaType(),
                i.image().size(), i.image().layers().size(), c.created(), i.image().storedAt(), c.os(), c.architecture(),
                new Config(c.entrypoint(), c.cmd(), c.env(), c.workingDir(), c.user(), c.stopSignal(), c.exposedPorts(), c.labels(), c.volumes()),
                users);
    }
}
