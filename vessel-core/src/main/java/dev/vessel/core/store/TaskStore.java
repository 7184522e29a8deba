package dev.vessel.core.store;

import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskLogLine;
import java.util.List;
import java.util.Optional;

public interface TaskStore {
    void save(Task task);

    Optional<Task> byId(String id);

    /** The newest tasks first, at most {@code limit}: those of {@code project}, or every project's when null. */
    List<Task> list(int limit, String project);

    void appendLog(String taskId, TaskLogLine line);

    List<TaskLogLine> log(String taskId, long afterSeq);
}
