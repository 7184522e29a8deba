package dev.vessel.qemu.block;

import dev.vessel.qemu.qmp.QmpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A point-in-time copy of a running VM's disks while the guest keeps running: {@code blockdev-backup} with
 * {@code sync=full} into fresh qcow2 targets, all jobs started in one {@code transaction} so every disk is copied as it
 * was at the same instant (QEMU copies a block before the guest overwrites it).
 */
public final class LiveBackup {
    static final int MAX_WORKERS = 8;
    static final long MAX_CHUNK = 2L << 20;

    private LiveBackup() {}

    /**
     * @param sourceNode the disk's top node
     * @param targetFile an empty qcow2 of the disk's size, in a directory the VM's container can write
     * @param targetNode the node name to open it as
     * @param jobId the job that copies into it
     */
    public record Target(String sourceNode, Path targetFile, String targetNode, String jobId) {}

    /** Opens the targets and starts every copy at the same instant. */
    public static void start(QmpClient qmp, List<Target> targets) {
        var opened = new ArrayList<String>();
        try {
            var actions = new ArrayList<Map<String, Object>>();
            for (Target t : targets) {
                dev.vessel.qemu.QemuFiles.likeItsDirectory(t.targetFile().getParent()); // the VM's uid writes here
                dev.vessel.qemu.QemuFiles.likeItsDirectory(t.targetFile());
                qmp.execute(
                        "blockdev-add",
                        Map.of(
                                "driver",
                                "file",
                                "node-name",
                                t.targetNode() + "-file",
                                "filename",
                                t.targetFile().toString()));
                opened.add(t.targetNode());
                qmp.execute(
                        "blockdev-add",
                        Map.of("driver", "qcow2", "node-name", t.targetNode(), "file", t.targetNode() + "-file"));
                var data = new LinkedHashMap<String, Object>();
                data.put("job-id", t.jobId());
                data.put("device", t.sourceNode());
                data.put("target", t.targetNode());
                data.put("sync", "full");
                data.put("auto-dismiss", false);
                // QEMU would keep up to 128 MiB of copy buffers in flight, which the VM's container limit (guest RAM
                // plus a fixed overhead) does not allow for: 8 workers of at most 2 MiB keep it to 16 MiB.
                data.put("x-perf", Map.of("max-workers", MAX_WORKERS, "max-chunk", MAX_CHUNK));
                actions.add(Map.of("type", "blockdev-backup", "data", data));
            }
            qmp.execute("transaction", Map.of("actions", actions, "properties", Map.of("completion-mode", "grouped")));
        } catch (RuntimeException e) {
            opened.forEach(n -> BlockDevices.release(qmp, n));
            throw e;
        }
    }

    public static void await(QmpClient qmp, List<Target> targets, Duration timeout, Jobs.Progress progress) {
        Jobs.await(qmp, targets.stream().map(Target::jobId).toList(), timeout, progress);
    }

    /** Cancels what is still running and closes the targets. Safe to repeat, and after a daemon restart. */
    public static void cleanup(QmpClient qmp, List<String> jobIds, List<String> targetNodes) {
        Jobs.cancel(qmp, jobIds);
        targetNodes.forEach(n -> BlockDevices.release(qmp, n));
    }

    /** Releases the targets once the copies are done. */
    public static void close(QmpClient qmp, List<Target> targets) {
        targets.forEach(t -> BlockDevices.release(qmp, t.targetNode()));
    }
}
