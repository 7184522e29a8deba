package dev.vessel.qemu.block;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.qemu.qmp.QmpClient;
import dev.vessel.qemu.qmp.QmpCommandException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * QEMU's generic jobs ({@code snapshot-save}, {@code snapshot-load}, {@code backup}): waiting for them by polling
 * {@code query-jobs}, which also gives progress, and dismissing them. Polling keeps this independent of which QMP
 * connection saw the job's events (the daemon may have been restarted since the job began).
 */
public final class Jobs {
    private static final long POLL_MS = 20;

    private Jobs() {}

    /** Progress of a set of jobs: bytes done and total, summed. */
    @FunctionalInterface
    public interface Progress {
        void report(long done, long total);
    }

    /** The current status of each job QEMU knows, by id. */
    public static Map<String, JsonNode> query(QmpClient qmp) {
        var out = new HashMap<String, JsonNode>();
        for (JsonNode j : qmp.execute("query-jobs")) {
            out.put(j.path("id").asText(), j);
        }
        return out;
    }

    /**
     * Waits until every job has concluded, dismisses them, and fails with the first job's error if any failed. A job
     * that is gone before it was seen concluded counts as failed (nobody else dismisses ours).
     */
    public static void await(QmpClient qmp, Collection<String> ids, Duration timeout, Progress progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String error = null;
        while (true) {
            var jobs = query(qmp);
            long done = 0;
            long total = 0;
            boolean all = true;
            for (String id : ids) {
                JsonNode j = jobs.get(id);
                if (j == null) {
                    throw VesselException.host("QEMU job " + id + " vanished before it concluded", null);
                }
                done += j.path("current-progress").asLong();
                total += j.path("total-progress").asLong();
                if (!j.path("status").asText().equals("concluded")) {
                    all = false;
                } else if (j.hasNonNull("error") && error == null) {
                    error = id + ": " + j.path("error").asText();
                }
            }
            progress.report(done, total);
            if (all) {
                break;
            }
            if (System.nanoTime() > deadline) {
                cancel(qmp, ids);
                throw VesselException.timeout(
                        "QEMU jobs " + ids + " did not finish within " + timeout.toSeconds() + " s; cancelled");
            }
            if (Thread.currentThread().isInterrupted()) {
                cancel(qmp, ids);
                throw VesselException.state("cancelled");
            }
            BlockDevices.sleep(POLL_MS);
        }
        ids.forEach(id -> dismiss(qmp, id));
        if (error != null) {
            throw VesselException.host("QEMU job failed: " + error, null);
        }
    }

    /** Cancels jobs (any state), waits for them to conclude, and dismisses them. Jobs already gone are fine. */
    public static void cancel(QmpClient qmp, Collection<String> ids) {
        for (String id : ids) {
            try {
                qmp.execute("job-cancel", Map.of("id", id));
            } catch (QmpCommandException e) {
                // concluded already, or unknown
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var jobs = query(qmp);
            boolean pending = false;
            for (String id : ids) {
                JsonNode j = jobs.get(id);
                if (j == null) {
                    continue;
                }
                if (j.path("status").asText().equals("concluded")
                        || j.path("status").asText().equals("null")) {
                    dismiss(qmp, id);
                } else {
                    pending = true;
                }
            }
            if (!pending) {
                return;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                // cancelling is already the way out; keep waiting for QEMU to let go of the nodes
            }
        }
    }

    static void dismiss(QmpClient qmp, String id) {
        try {
            qmp.execute("job-dismiss", Map.of("id", id));
        } catch (QmpCommandException e) {
            // already dismissed
        }
    }
}
