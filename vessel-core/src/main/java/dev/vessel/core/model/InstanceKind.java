package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an instance is. Both kinds share one name space, one list and one API. */
public enum InstanceKind {
    @JsonProperty("vm")
    VM,
    @JsonProperty("container")
    CONTAINER;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
