package dev.vessel.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Names;

/** A new empty volume: its name (unique across pools), format, virtual size and preallocation. */
public record VolumeRequest(String name, VolumeFormat format, long sizeBytes, Preallocation preallocation) {
    public VolumeRequest {
        Names.requireValid("name", name);
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
