package dev.vessel.model;

/**
 * A volume as the API shows it: the pool's facts and the VM it is attached to, if any.
 *
 * @param attachedTo the VM's name, or null
 */
public record VolumeView(
        String name,
        String pool,
        String format,
        long virtualSize,
        long allocatedSize,
        String path,
        String attachedTo) {}
