package dev.vessel.core.task;

import java.time.Instant;

/**
 * A long operation, as Proxmox's task or Incus's operation: it has an id, a state, a progress between 0 and 1, a log,
 * a start and an end, on failure the problem it ended with, and the user who started it (as in a Proxmox VE UPID;
 * null for tasks from before users, {@code daemon} for the daemon's own), and the project it works in (as an Incus
 * operation's; {@code default} for the node's own work and for tasks stored before projects had tasks).
 */
public record Task(
        String id,
        String operation,
        String target,
        TaskState state,
        double progress,
        String message,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        TaskError error,
        String user,
        String project) {

    public Task {
        project = project == null ? dev.vessel.core.model.ProjectKey.DEFAULT_PROJECT : project;
    }

    /** The problem a failed task ended with, in the same shape as an API error. */
    public record TaskError(String type, String detail) {}

    public Task withState(TaskState s) {
        return new Task(
                id, operation, target, s, progress, message, createdAt, startedAt, endedAt, error, user, project);
    }

    public Task withProgress(double p, String m) {
        return new Task(id, operation, target, state, p, m, createdAt, startedAt, endedAt, error, user, project);
    }

    public Task started(Instant at) {
        return new Task(
                id,
                operation,
                target,
                TaskState.RUNNING,
                progress,
                message,
                createdAt,
                at,
                endedAt,
                error,
                user,
                project);
    }

    public Task ended(TaskState s, Instant at, TaskError e) {
        return new Task(
                id,
                operation,
                target,
                s,
                s == TaskState.SUCCEEDED ? 1.0 : progress,
                message,
                createdAt,
                startedAt,
                at,
                e,
                user,
                project);
    }
}
