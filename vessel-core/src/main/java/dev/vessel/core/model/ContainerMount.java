package dev.vessel.core.model;

/**
 * A directory given to a container: a host path ({@code bind}) or a named volume ({@code volume}) that Vessel keeps.
 *
 * @param source an absolute host path for a bind, a volume name for a volume
 * @param target an absolute path inside the container
 */
public record ContainerMount(Type type, String source, String target, boolean readOnly) {
    public enum Type {
        @com.fasterxml.jackson.annotation.JsonProperty("bind")
        BIND,
        @com.fasterxml.jackson.annotation.JsonProperty("volume")
        VOLUME
    }

    public ContainerMount {
        java.util.Objects.requireNonNull(type, "type");
        java.util.Objects.requireNonNull(source, "source");
        java.util.Objects.requireNonNull(target, "target");
    }
}
