package dev.vessel.storage;

/**
 * A volume as its pool sees it.
 *
 * @param path where the host opens it (a file for a directory pool)
 * @param virtualSize the size the guest sees
 * @param allocatedSize what it takes on the pool's storage now
 */
public record Volume(
        String pool, String name, VolumeFormat format, long virtualSize, long allocatedSize, String path) {}
