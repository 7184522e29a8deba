package dev.vessel.daemon.task;

@FunctionalInterface
public interface TaskBody {
    void run(TaskContext ctx) throws Exception;
}
