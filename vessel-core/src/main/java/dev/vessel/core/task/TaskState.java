package dev.vessel.core.task;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum TaskState {
    @JsonProperty("queued")
    QUEUED,
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("succeeded")
    SUCCEEDED,
    @JsonProperty("failed")
    FAILED,
    @JsonProperty("cancelled")
    CANCELLED;

    public boolean done() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
