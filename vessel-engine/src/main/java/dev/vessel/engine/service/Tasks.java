package dev.vessel.engine.service;

import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskLogLine;
import java.time.Duration;
import java.util.List;

/** Long operations: their state, progress and log, and cancelling them. */
public interface Tasks {
    /** The newest tasks first, at most {@code limit}: those of {@code project}, or every project's when null. */
    List<Task> list(int limit, String project);

    Task get(String id);

    /** Returns when the task ended or {@code timeout} passed, with the task either way. */
    Task await(String id, Duration timeout) throws InterruptedException;

    List<TaskLogLine> log(String id, long afterSeq);

    Task cancel(String id);
}
