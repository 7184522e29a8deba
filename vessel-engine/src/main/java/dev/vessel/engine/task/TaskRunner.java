package dev.vessel.engine.task;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.store.TaskStore;
import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskLogLine;
import dev.vessel.core.task.TaskState;
import dev.vessel.engine.event.EventBus;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs long operations as tasks, each on its own virtual thread, and keeps their state and log in the store so that
 * they can be listed, followed, waited on and cancelled, as Proxmox tasks and Incus operations can.
 */
public final class TaskRunner implements dev.vessel.engine.service.Tasks {
    private static final System.Logger LOG = System.getLogger(TaskRunner.class.getName());
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final TaskStore store;
    private final Clock clock;
    private final EventBus events;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    public TaskRunner(TaskStore store, Clock clock, EventBus events) {
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    private final class Running implements TaskContext {
        volatile Task task;
        volatile Thread thread;
        volatile boolean cancelled;
        final CompletableFuture<Task> done = new CompletableFuture<>();
        final AtomicLong seq = new AtomicLong();
        volatile long lastProgressSave;

        Running(Task task) {
            this.task = task;
        }

        @Override
        public void report(double fraction, String message) {
            // A progress without a message keeps the last one, so "what it is doing" stays visible between steps.
            task = task.withProgress(Math.max(0, Math.min(1, fraction)), message == null ? task.message() : message);
            long now = System.nanoTime();
            // Progress can come thousands of times a second during a copy; the store sees it at most 10 times a second.
            if (now - lastProgressSave > 100_000_000L) {
                lastProgressSave = now;
                store.save(task);
                events.publish(
                        "task-progress",
                        null,
                        null,
                        Map.of(
                                "task",
                                task.id(),
                                "progress",
                                task.progress(),
                                "message",
                                message == null ? "" : message));
            }
            if (message != null && !message.isEmpty()) {
                log(message);
            }
        }

        @Override
        public void log(String line) {
            store.appendLog(task.id(), new TaskLogLine(seq.incrementAndGet(), clock.instant(), line));
        }

        @Override
        public String taskId() {
            return task.id();
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        @Override
        public void checkCancelled() {
            if (cancelled || Thread.currentThread().isInterrupted()) {
                throw new Cancelled();
            }
        }
    }

    /** Thrown inside a task body when it is cancelled. */
    public static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /**
     * Starts {@code body} as a task on {@code target}, a key of something of a project (an instance, a volume, an
     * image): the task is in the key's project.
     */
    public Task submit(String operation, String target, TaskBody body) {
        String project = target != null && dev.vessel.core.model.ProjectKey.isValid(target)
                ? dev.vessel.core.model.ProjectKey.projectOf(target)
                : dev.vessel.core.model.ProjectKey.DEFAULT_PROJECT;
        return submit(operation, target, project, body);
    }

    /** Starts {@code body} as a task in {@code project} on a target that is no key (a reference, a file). */
    public Task submit(String operation, String target, String project, TaskBody body) {
        String id = newId();
        var task = new Task(
                id,
                operation,
                target,
                TaskState.QUEUED,
                0,
                null,
                clock.instant(),
                null,
                null,
                null,
                dev.vessel.access.Caller.current().name(),
                project);
        store.save(task);
        var r = new Running(task);
        running.put(id, r);
        r.thread = Thread.ofVirtual().name("task-" + operation + "-" + id).unstarted(() -> execute(r, body));
        r.thread.start();
        return task;
    }

    private void execute(Running r, TaskBody body) {
        r.task = r.task.started(clock.instant());
        store.save(r.task);
        r.log(r.task.operation() + (r.task.target() == null ? "" : " " + r.task.target()) + ": started");
        events.publish(
                "task-started", null, r.task.target(), Map.of("task", r.task.id(), "operation", r.task.operation()));
        Task.TaskError error = null;
        TaskState end;
        try {
            body.run(r);
            end = r.cancelled ? TaskState.CANCELLED : TaskState.SUCCEEDED;
        } catch (Cancelled e) {
            end = TaskState.CANCELLED;
        } catch (VesselException e) {
            end = r.cancelled ? TaskState.CANCELLED : TaskState.FAILED;
            error = new Task.TaskError(e.type().uri(), e.getMessage());
        } catch (InterruptedException e) {
            end = TaskState.CANCELLED;
        } catch (Exception e) {
            if (r.cancelled) {
                // what a cancel interrupted fails in its own way; the task ends as the user asked
                end = TaskState.CANCELLED;
            } else {
                LOG.log(System.Logger.Level.ERROR, "task " + r.task.id() + " failed", e);
                end = TaskState.FAILED;
                error = new Task.TaskError(
                        ProblemType.INTERNAL.uri(), e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        if (error != null) {
            r.log("error: " + error.detail());
        }
        r.log(r.task.operation() + ": " + end.label());
        r.task = r.task.ended(end, clock.instant(), error);
        store.save(r.task);
        events.publish(
                "task-" + end.label(),
                null,
                r.task.target(),
                Map.of("task", r.task.id(), "operation", r.task.operation()));
        running.remove(r.task.id());
        r.done.complete(r.task);
    }

    public Task get(String id) {
        var r = running.get(id);
        if (r != null) {
            return r.task;
        }
        return store.byId(id).orElseThrow(() -> VesselException.notFound("task", id));
    }

    public List<Task> list(int limit, String project) {
        return store.list(limit, project).stream()
                .map(t -> running.containsKey(t.id()) ? running.get(t.id()).task : t)
                .toList();
    }

    public List<TaskLogLine> log(String id, long afterSeq) {
        get(id);
        return store.log(id, afterSeq);
    }

    /** Waits until the task ends or the timeout passes, and returns its latest state either way. */
    public Task await(String id, Duration timeout) throws InterruptedException {
        var r = running.get(id);
        if (r == null) {
            return get(id);
        }
        try {
            return r.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return r.task;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public Task cancel(String id) {
        var r = running.get(id);
        if (r == null) {
            Task t = get(id);
            throw VesselException.state(
                    "task " + id + " has already " + t.state().label());
        }
        r.cancelled = true;
        r.thread.interrupt();
        r.log("cancel requested");
        return r.task;
    }

    /** Marks tasks that a previous daemon left unfinished; they cannot resume. */
    public void failOrphans(List<Task> unfinished) {
        for (Task t : unfinished) {
            store.save(t.ended(
                    TaskState.FAILED,
                    clock.instant(),
                    new Task.TaskError(ProblemType.UNAVAILABLE.uri(), "the daemon stopped while this task ran")));
        }
    }

    public int activeCount() {
        return running.size();
    }

    static String newId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
