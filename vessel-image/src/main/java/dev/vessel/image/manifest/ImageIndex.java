package dev.vessel.image.manifest;

import dev.vessel.core.error.VesselException;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Platform;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** An OCI image index or a Docker manifest list. */
public record ImageIndex(String mediaType, List<Descriptor> manifests) implements ManifestDocument {
    public ImageIndex {
        manifests = List.copyOf(manifests);
    }

    /** The manifest for {@code wanted}; attestation entries (platform unknown/unknown) never match. */
    public Descriptor select(Platform wanted, String what) {
        return manifests.stream()
                .filter(d -> wanted.accepts(d.platform()))
                .findFirst()
                .orElseThrow(() -> VesselException.invalid(what + " has no image for " + wanted + " (it has: "
                        + manifests.stream()
                                .map(Descriptor::platform)
                                .filter(Objects::nonNull)
                                .map(Platform::toString)
                                .collect(Collectors.joining(", "))
                        + ")"));
    }
}
