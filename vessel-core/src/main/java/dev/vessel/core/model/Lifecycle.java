package dev.vessel.core.model;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.InstanceState.Created;
import dev.vessel.core.model.InstanceState.Paused;
import dev.vessel.core.model.InstanceState.Running;
import dev.vessel.core.model.InstanceState.Starting;
import dev.vessel.core.model.InstanceState.Stopped;
import dev.vessel.core.model.InstanceState.Stopping;
import java.time.Clock;

/** The state machine of an instance, the same for both kinds. Anything not listed here is refused. */
public final class Lifecycle {
    private final Clock clock;

    public Lifecycle(Clock clock) {
        this.clock = clock;
    }

    public InstanceState next(String name, InstanceState current, LifecycleEvent event) {
        var now = clock.instant();
        InstanceState next = switch (event) {
            case LifecycleEvent.StartRequested s ->
                switch (current) {
                    case Created c -> new Starting(now);
                    case Stopped st -> new Starting(now);
                    default -> null;
                };
            case LifecycleEvent.Started s -> current instanceof Starting ? new Running(now) : null;
            case LifecycleEvent.StartFailed f ->
                current instanceof Starting ? new Stopped(now, StopReason.START_FAILED, f.detail(), null) : null;
            case LifecycleEvent.StopRequested s ->
                switch (current) {
                    case Running r -> new Stopping(now);
                    case Paused p -> new Stopping(now);
                    case Starting st -> new Stopping(now);
                    default -> null;
                };
            case LifecycleEvent.Paused p -> current instanceof Running ? new Paused(now) : null;
            case LifecycleEvent.Reset r ->
                current instanceof Running || current instanceof Paused || current instanceof Stopping ? current : null;
            case LifecycleEvent.Adopted a ->
                switch (current) {
                    case Running r -> r;
                    case Paused p -> p;
                    case Starting s -> new Running(now);
                    case Stopping s -> new Running(now);
                    default -> null;
                };
            case LifecycleEvent.Resumed r -> current instanceof Paused ? new Running(now) : null;
            case LifecycleEvent.Exited e ->
                current.active() ? new Stopped(now, e.reason(), e.detail(), e.exitCode()) : null;
        };
        if (next == null) {
            throw VesselException.state("instance '" + name + "' is " + current.label() + ": cannot " + verb(event));
        }
        return next;
    }

    private static String verb(LifecycleEvent event) {
        return switch (event) {
            case LifecycleEvent.StartRequested s -> "start";
            case LifecycleEvent.Started s -> "mark it running";
            case LifecycleEvent.StartFailed s -> "fail a start";
            case LifecycleEvent.StopRequested s -> "stop";
            case LifecycleEvent.Paused p -> "pause";
            case LifecycleEvent.Adopted a -> "adopt";
            case LifecycleEvent.Reset r -> "reset";
            case LifecycleEvent.Resumed r -> "resume";
            case LifecycleEvent.Exited e -> "mark it exited";
        };
    }
}
