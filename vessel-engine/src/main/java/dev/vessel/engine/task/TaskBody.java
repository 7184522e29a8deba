package dev.vessel.engine.task;

@FunctionalInterface
public interface TaskBody {
    void run(TaskContext ctx) throws Exception;
}
