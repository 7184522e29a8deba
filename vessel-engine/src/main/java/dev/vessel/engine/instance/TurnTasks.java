package dev.vessel.engine.instance;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.core.task.Task;
import dev.vessel.engine.task.TaskContext;
import dev.vessel.engine.task.TaskRunner;
import java.time.Duration;
import java.util.Optional;

/**
 * Lifecycle operations as tasks, each in its instance's turn ({@link OperationQueue}): taking the turn at once or
 * queueing behind the operations asked for before, refusing a second start, and cancelling a start for a kill.
 * {@link InstanceOps} says what each operation does; this class says when it may do it.
 */
final class TurnTasks {
    static final Duration TURN_TIMEOUT = Duration.ofMinutes(30);

    private final OperationQueue queue = new OperationQueue();
    private final InstanceStore store;
    private final TaskRunner tasks;

    TurnTasks(InstanceStore store, TaskRunner tasks) {
        this.store = store;
        this.tasks = tasks;
    }

    /**
     * Work of a lifecycle operation, once its first state change is made. It may end its turn early ({@code endTurn})
     * once the state is settled, e.g. a start that then waits for the guest to be ready.
     */
    @FunctionalInterface
    interface Work {
        void run(Instance begun, TaskContext ctx, Runnable endTurn) throws Exception;
    }

    /**
     * Runs a lifecycle operation as a task in the instance's turn. If no other operation of the instance runs, the turn
     * is taken at once and {@code begin} (the first state change) happens before this returns, so the answer shows it
     * and a refused change fails the call. Otherwise the task waits for the operations asked for before it and begins
     * then; {@code begin} returning null means nothing is left to do (a stop of what a start that failed left stopped).
     */
    Task run(Instance i, String operation, java.util.function.UnaryOperator<Instance> begin, Work work) {
        var now = queue.tryTake(i.id(), operation);
        if (now.isPresent()) {
            var turn = now.get();
            try {
                Instance begun = begin.apply(i);
                Task t = tasks.submit(operation, i.name(), ctx -> {
                    try (turn) {
                        if (begun != null) {
                            work.run(begun, ctx, turn::close);
                        }
                    }
                });
                turn.task(operation, t.id());
                return t;
            } catch (RuntimeException e) {
                turn.close();
                throw e;
            }
        }
        var busy = queue.holder(i.id());
        if (operation.equals("start")
                && busy.filter(b -> b.operation().equals("start")).isPresent()) {
            // Two starts asked at once: the second is refused, as a start of what already starts is.
            throw VesselException.state("instance '" + i.name() + "' is starting already"
                    + busy.map(OperationQueue.Holder::taskId)
                            .map(id -> " (task " + id + ")")
                            .orElse(""));
        }
        String before = busy.map(OperationQueue.Holder::operation).orElse("operation");
        return tasks.submit(operation, i.name(), ctx -> {
            ctx.report(0.0, "waiting for the " + before + " of " + i.name() + " to finish first");
            var turn = queue.take(i.id(), operation, ctx.taskId(), TURN_TIMEOUT)
                    .orElseThrow(() -> VesselException.state("instance '" + i.name() + "' was still busy after "
                            + TURN_TIMEOUT.toMinutes() + " minutes; " + operation + " not done"));
            try (turn) {
                Instance current = store.byId(i.id()).orElseThrow(() -> VesselException.notFound("instance", i.name()));
                Instance begun = begin.apply(current);
                if (begun == null) {
                    ctx.log("nothing to " + operation + ": " + current.state().describe());
                    return;
                }
                work.run(begun, ctx, turn::close);
            }
        });
    }

    /**
     * Cancels the start (or restart) that holds the instance's turn, if one does, and returns it: the kill then waits
     * for it to end, so that it kills what the start got going. One whose task is not yet named (it is being
     * submitted) is not cancelled but still waited for.
     */
    Optional<OperationQueue.Holder> cancelStart(Instance i) {
        var holder = queue.holder(i.id())
                .filter(h -> h.operation().equals("start") || h.operation().equals("restart"));
        holder.filter(h -> h.taskId() != null).ifPresent(h -> {
            try {
                tasks.cancel(h.taskId());
            } catch (VesselException e) {
                // it ended meanwhile
            }
        });
        return holder;
    }

    /** Waits for the instance's turn after every operation asked for before; see {@link OperationQueue#take}. */
    Optional<OperationQueue.Turn> take(String instanceId, String operation, String taskId, Duration timeout)
            throws InterruptedException {
        return queue.take(instanceId, operation, taskId, timeout);
    }

    Optional<OperationQueue.Holder> holder(String instanceId) {
        return queue.holder(instanceId);
    }

    void forget(String instanceId) {
        queue.forget(instanceId);
    }
}
