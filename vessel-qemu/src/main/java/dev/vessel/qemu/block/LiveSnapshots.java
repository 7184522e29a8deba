package dev.vessel.qemu.block;

import dev.vessel.core.error.VesselException;
import dev.vessel.qemu.qmp.QmpClient;
import dev.vessel.qemu.qmp.QmpCommandException;
import dev.vessel.qemu.qmp.QmpEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Internal qcow2 snapshots of a running VM. Disk-only: the vCPUs are paused, one {@code transaction} of
 * {@code blockdev-snapshot-internal-sync} snapshots every disk at the same instant, and the vCPUs resume; the pause is
 * a few milliseconds and is measured. With RAM: QEMU's {@code snapshot-save} job, which stops the VM while it writes
 * the RAM into the first disk; the pause is taken from QEMU's own STOP and RESUME event times.
 */
public final class LiveSnapshots {
    private LiveSnapshots() {}

    /** How long the guest did not run. */
    public record Pause(Duration duration) {
        public long millis() {
            return duration.toMillis();
        }

        public double exactMillis() {
            return duration.toNanos() / 1e6;
        }
    }

    /** A disk-only snapshot of every node at one instant. */
    public static Pause diskOnly(QmpClient qmp, List<String> nodes, String tag) {
        return diskOnly(qmp, nodes, tag, () -> {});
    }

    /**
     * A disk-only snapshot that also runs {@code whilePaused} after the disks' tags are made and before the vCPUs go on
     * (a copy of state outside QEMU's block layer, such as the TPM's, of the same instant).
     */
    public static Pause diskOnly(QmpClient qmp, List<String> nodes, String tag, Runnable whilePaused) {
        var actions = new ArrayList<Map<String, Object>>();
        for (String n : nodes) {
            actions.add(Map.of("type", "blockdev-snapshot-internal-sync", "data", Map.of("device", n, "name", tag)));
        }
        boolean running = qmp.queryStatus().running();
        long t0 = System.nanoTime();
        if (running) {
            qmp.stop();
        }
        try {
            qmp.execute("transaction", Map.of("actions", actions));
            whilePaused.run();
        } finally {
            if (running) {
                qmp.cont();
            }
        }
        return new Pause(Duration.ofNanos(running ? System.nanoTime() - t0 : 0));
    }

    /** A snapshot with the VM's RAM and device state, stored in {@code vmstateNode}. */
    public static Pause withRam(QmpClient qmp, String vmstateNode, List<String> nodes, String tag, Duration timeout) {
        return job(qmp, "snapshot-save", vmstateNode, nodes, tag, timeout);
    }

    /** Loads a snapshot with RAM into the running VM: disks and guest state go back to that moment. */
    public static Pause load(QmpClient qmp, String vmstateNode, List<String> nodes, String tag, Duration timeout) {
        return job(qmp, "snapshot-load", vmstateNode, nodes, tag, timeout);
    }

    private static Pause job(
            QmpClient qmp, String command, String vmstateNode, List<String> nodes, String tag, Duration timeout) {
        var stop = new AtomicReference<Instant>();
        var resume = new AtomicReference<Instant>();
        Consumer<QmpEvent> listener = e -> {
            if (e.name().equals("STOP")) {
                stop.compareAndSet(null, e.timestamp());
            } else if (e.name().equals("RESUME") && stop.get() != null) {
                resume.set(e.timestamp());
            }
        };
        qmp.addEventListener(listener);
        String id = command.replace("snapshot-", "snap") + "-" + Long.toHexString(System.nanoTime());
        long t0 = System.nanoTime();
        try {
            qmp.execute(command, Map.of("job-id", id, "tag", tag, "vmstate", vmstateNode, "devices", nodes));
            Jobs.await(qmp, List.of(id), timeout, (d, t) -> {});
            long wall = System.nanoTime() - t0;
            // Events reach listeners shortly after the reader sees them; give RESUME a moment.
            for (int i = 0; i < 50 && stop.get() != null && resume.get() == null; i++) {
                BlockDevices.sleep(10);
            }
            if (stop.get() != null && resume.get() != null) {
                return new Pause(Duration.between(stop.get(), resume.get()));
            }
            return new Pause(Duration.ofNanos(wall));
        } finally {
            qmp.removeEventListener(listener);
        }
    }

    /** Deletes a snapshot from each node that has it; a node without it is fine (so recovery can repeat this). */
    public static void delete(QmpClient qmp, List<String> nodes, String tag) {
        for (String n : nodes) {
            try {
                qmp.execute("blockdev-snapshot-delete-internal-sync", Map.of("device", n, "name", tag));
            } catch (QmpCommandException e) {
                if (!e.desc().contains("not found") && !e.desc().contains("Can't find")) {
                    throw VesselException.host("cannot delete snapshot '" + tag + "' of " + n + ": " + e.desc(), e);
                }
            }
        }
    }
}
