package dev.vessel.engine.storage;

import dev.vessel.storage.Volume;

/**
 * A volume as the API shows it: the pool's facts and the VM it is attached to, if any.
 *
 * @param attachedTo the VM's name, or null
 */
public record VolumeView(String name, String pool, String format, long virtualSize, long allocatedSize, String path, String attachedTo) {
    static VolumeView of(Volume v, String attachedTo) {
        return new VolumeView(v.name(), v.pool(), v.format().name(), v.virtualSize(), v.allocatedSize(), v.path(), attachedTo);
    }
}
