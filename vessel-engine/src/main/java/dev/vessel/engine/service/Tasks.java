package dev.vessel.engine.service;

import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskLogLine;
import java.time.Duration;
import java.util.List;

/** Long operations: their state, progress and log, and cancelling them. */
public interface Tasks {
    List<Task> list(int limit);

    Task get(String id);

    /** Returns when the task ended or {@code timeout} passed, with the task either way. */
    Task await(String id, Duration timeout) throws InterruptedException;

    List<TaskLogLine> log(String id, long afterSeq);

    Task cancel(String id);
}
