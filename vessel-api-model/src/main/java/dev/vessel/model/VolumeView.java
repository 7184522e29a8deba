package dev.vessel.model;

/**
 * A volume as the API shows it: the pool's facts and the VM it is attached to, if any.
 *
 * @param attachedTo the VM's name, or null
 */
public record VolumeView(
        String name,
        String project,
        String pool,
        String format,
        long virtualSize,
        long allocatedSize,
        String path,
        String attachedTo) {
    /** The engine's key of the volume (its name, then its project unless that is the default one). */
    public String key() {
        return dev.vessel.core.model.ProjectKey.of(project, name);
    }
}
