package dev.vessel.storage;

import dev.vessel.core.error.VesselException;

/**
 * A new empty volume: its key (its name, unique across pools within its project; see {@link
 * dev.vessel.core.model.ProjectKey}), format, virtual size and preallocation.
 */
public record VolumeRequest(String name, VolumeFormat format, long sizeBytes, Preallocation preallocation) {
    public VolumeRequest {
        dev.vessel.core.model.ProjectKey.requireValid("name", name);
        if (format == null) {
            format = VolumeFormat.qcow2;
        }
        if (preallocation == null) {
            preallocation = Preallocation.off;
        }
        VolumeSizes.require("size", sizeBytes);
        if (preallocation == Preallocation.metadata && format != VolumeFormat.qcow2) {
            throw VesselException.invalid("preallocation", "metadata preallocation needs qcow2");
        }
    }
}
