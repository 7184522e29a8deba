package dev.vessel.engine.task;

import dev.vessel.core.driver.InstanceDriver;

/** What a running task can do: report progress, write its log, and notice that it was cancelled. */
public interface TaskContext extends InstanceDriver.Progress {
    /** The task's id. */
    String taskId();

    void log(String line);

    boolean cancelled();

    /** Throws if the task was cancelled, so long work stops at a safe point. */
    void checkCancelled();
}
