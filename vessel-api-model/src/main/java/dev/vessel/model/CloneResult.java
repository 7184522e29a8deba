package dev.vessel.model;

import dev.vessel.core.task.Task;

/** A clone: a linked one is made at once, a full one is a task that copies. */
public sealed interface CloneResult {
    record Made(InstanceView instance) implements CloneResult {}

    record Copying(Task task) implements CloneResult {}
}
