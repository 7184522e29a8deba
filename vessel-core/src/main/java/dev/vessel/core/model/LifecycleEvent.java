package dev.vessel.core.model;

/** Something that happened to an instance; {@link Lifecycle} turns it into the next state. */
public sealed interface LifecycleEvent {
    record StartRequested() implements LifecycleEvent {}

    record Started() implements LifecycleEvent {}

    record StartFailed(String detail) implements LifecycleEvent {}

    record StopRequested() implements LifecycleEvent {}

    record Paused() implements LifecycleEvent {}

    /** The guest rebooted (QEMU's RESET); the instance stays running. */
    record Reset() implements LifecycleEvent {}

    /** The daemon found the process alive after a restart and took it back. */
    record Adopted() implements LifecycleEvent {}

    record Resumed() implements LifecycleEvent {}

    /** The process is gone. */
    record Exited(StopReason reason, String detail, Integer exitCode) implements LifecycleEvent {}
}
