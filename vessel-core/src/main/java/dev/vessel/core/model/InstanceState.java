package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/** Where an instance is in its life. Transitions are decided only by {@link Lifecycle}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "status")
@JsonSubTypes({
    @JsonSubTypes.Type(value = InstanceState.Created.class, name = "created"),
    @JsonSubTypes.Type(value = InstanceState.Starting.class, name = "starting"),
    @JsonSubTypes.Type(value = InstanceState.Running.class, name = "running"),
    @JsonSubTypes.Type(value = InstanceState.Paused.class, name = "paused"),
    @JsonSubTypes.Type(value = InstanceState.Stopping.class, name = "stopping"),
    @JsonSubTypes.Type(value = InstanceState.Stopped.class, name = "stopped")
})
public sealed interface InstanceState {
    Instant since();

    @JsonIgnore
    default String label() {
        return switch (this) {
            case Created c -> "created";
            case Starting s -> "starting";
            case Running r -> "running";
            case Paused p -> "paused";
            case Stopping s -> "stopping";
            case Stopped s -> "stopped";
        };
    }

    /**
     * The state in words, for task logs and people: "running", "stopped", "stopped (killed after the stop timeout): the
     * guest did not power off within 60 s of the ACPI power button and was killed", "stopped (exited, code 3)".
     */
    @JsonIgnore
    default String describe() {
        if (!(this instanceof Stopped s)) {
            return label();
        }
        var b = new StringBuilder("stopped");
        if (s.reason() != null && s.reason() != StopReason.STOPPED) {
            b.append(" (")
                    .append(s.reason().phrase())
                    .append(s.exitCode() == null ? "" : ", code " + s.exitCode())
                    .append(")");
        } else if (s.exitCode() != null) {
            b.append(" (code ").append(s.exitCode()).append(")");
        }
        if (s.detail() != null && !s.detail().isBlank()) {
            b.append(": ").append(s.detail());
        }
        return b.toString();
    }

    /** True while a process (QEMU or the container's init) may exist for the instance. */
    @JsonIgnore
    default boolean active() {
        return switch (this) {
            case Created c -> false;
            case Stopped s -> false;
            case Starting s -> true;
            case Running r -> true;
            case Paused p -> true;
            case Stopping s -> true;
        };
    }

    record Created(Instant since) implements InstanceState {}

    record Starting(Instant since) implements InstanceState {}

    record Running(Instant since) implements InstanceState {}

    record Paused(Instant since) implements InstanceState {}

    record Stopping(Instant since) implements InstanceState {}

    record Stopped(Instant since, StopReason reason, String detail, Integer exitCode) implements InstanceState {}
}
