package dev.vessel.engine.instance;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One lifecycle operation per instance at a time (start, stop, restart, remove), in the order they were asked for, as
 * Proxmox's per-VM lock and Docker's per-container state lock give. A turn is a permit, not a thread's lock, so the
 * caller can take it and the task that does the work can give it back.
 */
final class OperationQueue {
    /** Who holds an instance's turn now: the operation and, once it is submitted, its task. */
    record Holder(String operation, String taskId) {}

    private static final class Lane {
        final Semaphore turn = new Semaphore(1, true);
        Holder holder; // guarded by the lane
    }

    /** A held turn; closing it lets the next operation of the instance go. Closing twice is harmless. */
    final class Turn implements AutoCloseable {
        private final String instanceId;
        private final Lane lane;
        private boolean released;

        private Turn(String instanceId, Lane lane) {
            this.instanceId = instanceId;
            this.lane = lane;
        }

        /** Names the task that does the operation, so that a kill can cancel a start in progress. */
        void task(String operation, String taskId) {
            synchronized (lane) {
                if (!released) {
                    lane.holder = new Holder(operation, taskId);
                }
            }
        }

        @Override
        public void close() {
            synchronized (lane) {
                if (!released) {
                    released = true;
                    lane.holder = null;
                    lane.turn.release();
                }
            }
        }

        @Override
        public String toString() {
            return "turn of " + instanceId;
        }
    }

    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * The turn if no operation of the instance holds it, else empty. Taking it and naming the holder are one step, so
     * a caller that finds the turn taken always sees by whom (unless it was given back meanwhile).
     */
    Optional<Turn> tryTake(String instanceId, String operation) {
        var lane = lane(instanceId);
        synchronized (lane) {
            if (!lane.turn.tryAcquire()) {
                return Optional.empty();
            }
            lane.holder = new Holder(operation, null);
            return Optional.of(new Turn(instanceId, lane));
        }
    }

    /**
     * Waits for the instance's turn, after every operation asked for before; empty if it did not come in time.
     *
     * @param taskId the task that waits, named as the holder from the moment it has the turn
     */
    Optional<Turn> take(String instanceId, String operation, String taskId, Duration timeout)
            throws InterruptedException {
        var lane = lane(instanceId);
        if (!lane.turn.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        synchronized (lane) {
            lane.holder = new Holder(operation, taskId);
        }
        return Optional.of(new Turn(instanceId, lane));
    }

    /** The operation that holds the instance's turn now, if any. */
    Optional<Holder> holder(String instanceId) {
        var lane = lanes.get(instanceId);
        if (lane == null) {
            return Optional.empty();
        }
        synchronized (lane) {
            return Optional.ofNullable(lane.holder);
        }
    }

    /** Forgets a removed instance's lane. */
    void forget(String instanceId) {
        lanes.remove(instanceId);
    }

    private Lane lane(String instanceId) {
        return lanes.computeIfAbsent(instanceId, k -> new Lane());
    }
}
