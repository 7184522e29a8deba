package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ByteSize;
import dev.vessel.core.model.Instance;
import dev.vessel.core.task.Task;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.task.TaskContext;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.model.BackupRequest;
import dev.vessel.qemu.ImageTool;
import dev.vessel.qemu.block.BlockDevices;
import dev.vessel.qemu.block.LiveBackup;
import dev.vessel.qemu.qmp.QmpClient;
import dev.vessel.storage.backup.BackupHeader;
import dev.vessel.storage.backup.BackupManifest;
import dev.vessel.storage.backup.BackupReader;
import dev.vessel.storage.backup.BackupWriter;
import dev.vessel.storage.cloudinit.CloudInitSeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Backups of VMs, running or not. A running VM's disks are copied by QEMU ({@code blockdev-backup}, one consistent
 * instant for all disks, the guest keeps running) into temporary qcow2 files in the VM's own directory; a stopped
 * VM's are flattened by qemu-img. Then they are compressed into the archive (see {@link BackupWriter}).
 */
public final class BackupOps {
    static final String TEMP = "backup-tmp";
    /** Where a VM's TPM state goes back to in its directory on restore (as {@code VmPaths#tpmState}). */
    static final String TPM_ROLE = "disks/tpm.state";

    private static final String TPM_COPY = "tpm.state";
    private static final Duration COPY_TIMEOUT = Duration.ofHours(12);

    private final InstanceOps ops;
    private final VmDisks disks;
    private final LiveVm live;
    private final ImageTool qemuImg;
    private final BackupFiles files;
    private final VmOpLocks locks;
    private final Journal journal;
    private final TaskRunner tasks;
    private final EventBus events;
    private final Clock clock;

    public BackupOps(
            InstanceOps ops,
            VmDisks disks,
            LiveVm live,
            ImageTool qemuImg,
            BackupFiles files,
            VmOpLocks locks,
            Journal journal,
            TaskRunner tasks,
            EventBus events,
            Clock clock) {
        this.ops = ops;
        this.disks = disks;
        this.live = live;
        this.qemuImg = qemuImg;
        this.files = files;
        this.locks = locks;
        this.journal = journal;
        this.tasks = tasks;
        this.events = events;
        this.clock = clock;
    }

    public Task create(String vmName, BackupRequest r) {
        Instance vm = ops.get(vmName);
        VmDisks.spec(vm);
        Path archive = files.target(r == null ? null : r.to(), r == null ? null : r.pool(), vmName, clock.instant());
        var held = locks.acquire(vm.id(), vmName, "backup");
        try {
            var qmp = live.qmp(vm);
            return tasks.submit("backup", vmName, ctx -> {
                try (held) {
                    run(ctx, ops.get(vmName), archive, qmp.orElse(null));
                }
            });
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    private void run(TaskContext ctx, Instance vm, Path archive, QmpClient qmp) {
        Path temp = disks.paths(vm).stateDir().resolve(TEMP);
        var entries =
                disks.of(vm).stream().filter(e -> e.disk().media().holdsData()).toList();
        var jobIds = new ArrayList<String>();
        var nodes = new ArrayList<String>();
        String jid = journal.begin(
                vm.id(),
                new JournalEntry.Backup(
                        temp.toString(), BackupFiles.partial(archive).toString(), jobIds, nodes));
        long t0 = System.nanoTime();
        try {
            AtomicFiles.deleteTree(temp);
            Files.createDirectories(temp);
            var copies = new ArrayList<Path>();
            for (var e : entries) {
                copies.add(temp.resolve("disk" + e.index() + ".qcow2"));
            }
            if (VmDisks.spec(vm).platform().tpm()) {
                // of the moment the disks' copies start from (a live backup's point in time), give or take the pause
                TpmStates.copyConsistent(qmp, disks.paths(vm).tpmState(), temp.resolve(TPM_COPY));
            }
            if (qmp != null) {
                copyLive(ctx, vm, qmp, entries, copies, jid, temp, archive, jobIds, nodes);
            } else {
                for (int i = 0; i < entries.size(); i++) {
                    ctx.report(
                            0.5 * i / entries.size(),
                            "copying " + entries.get(i).path().getFileName() + " (the VM is stopped)");
                    qemuImg.convertTo(
                            entries.get(i).path(),
                            entries.get(i).disk().format().name(),
                            copies.get(i),
                            "qcow2");
                }
            }
            long copied = System.nanoTime() - t0;
            ctx.checkCancelled();
            BackupManifest m = write(ctx, vm, archive, entries, copies, qmp != null);
            long total = System.nanoTime() - t0;
            var tp = m.throughput();
            String summary = String.format(
                    Locale.ROOT,
                    "backup of %s: %d disk(s), %s of image data in %.1f s (%.0f MiB/s; point-in-time copy %.1f s, compression %.1f s), archive %s (%.0f%%) at %s",
                    vm.name(),
                    entries.size(),
                    ByteSize.human(tp.diskBytes()),
                    total / 1e9,
                    tp.diskBytes() / (total / 1e9) / (1 << 20),
                    copied / 1e9,
                    (total - copied) / 1e9,
                    ByteSize.human(Files.size(archive)),
                    100.0 * Files.size(archive) / Math.max(1, tp.diskBytes()),
                    archive);
            events.publish(
                    "backup-created",
                    "vm",
                    vm.name(),
                    Map.of("archive", archive.toString(), "bytes", Files.size(archive), "millis", total / 1_000_000));
            ctx.report(1.0, summary);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (qmp != null && !jobIds.isEmpty()) {
                BlockDevices.quietly(() -> LiveBackup.cleanup(qmp, jobIds, nodes));
            }
            AtomicFiles.deleteTree(temp);
            journal.end(jid);
        }
    }

    private void copyLive(
            TaskContext ctx,
            Instance vm,
            QmpClient qmp,
            List<VmDisks.Entry> entries,
            List<Path> copies,
            String jid,
            Path temp,
            Path archive,
            List<String> jobIds,
            List<String> nodes) {
        var open = BlockDevices.list(qmp);
        var targets = new ArrayList<LiveBackup.Target>();
        String stamp = Long.toHexString(System.nanoTime() & 0xffffffL);
        for (int i = 0; i < entries.size(); i++) {
            String file = entries.get(i).disk().path();
            var dev = open.stream()
                    .filter(d -> d.file().equals(file))
                    .findFirst()
                    .orElseThrow(() -> VesselException.state("QEMU does not have " + file + " open"));
            qemuImg.create(copies.get(i), "qcow2", dev.virtualSize(), "off");
            targets.add(new LiveBackup.Target(
                    dev.nodeName(), copies.get(i), "bk" + stamp + i, "backup-" + stamp + "-" + i));
            jobIds.add("backup-" + stamp + "-" + i);
            nodes.add("bk" + stamp + i);
        }
        // Recorded before QEMU starts anything, so a crash from here on can still find and end it all.
        journal.update(
                jid,
                new JournalEntry.Backup(
                        temp.toString(), BackupFiles.partial(archive).toString(), jobIds, nodes));
        ctx.report(0.02, "copying " + entries.size() + " disk(s) as of now; the guest keeps running");
        // The point in time is the jobs' start: the guest's file systems are frozen across it, if its agent answers.
        try (var freeze = live.freeze(vm)) {
            ctx.log(
                    freeze.frozen() > 0
                            ? "guest agent froze " + freeze.frozen() + " file system(s) for the start of the copy"
                            : "no fs-freeze (" + freeze.reason() + "): the backup is crash-consistent");
            LiveBackup.start(qmp, targets);
        }
        LiveBackup.await(
                qmp, targets, COPY_TIMEOUT, (done, total) -> ctx.report(total > 0 ? 0.5 * done / total : 0.1, null));
        LiveBackup.close(qmp, targets);
        jobIds.clear();
        nodes.clear();
    }

    private BackupManifest write(
            TaskContext ctx,
            Instance vm,
            Path archive,
            List<VmDisks.Entry> entries,
            List<Path> copies,
            boolean liveCopy) {
        Path state = disks.paths(vm).stateDir();
        // A template's disks are read-only to the template; restored, they are the new VM's own and writable.
        var diskEntries = new ArrayList<BackupHeader.DiskEntry>();
        long totalBytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            var e = entries.get(i);
            diskEntries.add(new BackupHeader.DiskEntry(
                    e.index(),
                    "disks/disk" + e.index() + ".qcow2.zst",
                    "qcow2",
                    qemuImg.info(copies.get(i)).virtualSize(),
                    e.disk().readOnly() && e.role() == VmDisks.Role.VOLUME,
                    e.disk().media().name()));
            totalBytes += copies.get(i).toFile().length();
        }
        var extra = new ArrayList<BackupHeader.FileEntry>();
        var spec = VmDisks.spec(vm);
        for (var f : new String[][] {
            {"kernel", spec.boot().kernel()}, {"initrd", spec.boot().initrd()}
        }) {
            if (f[1] != null && Path.of(f[1]).startsWith(state)) {
                extra.add(new BackupHeader.FileEntry(f[0], "files/" + f[0]));
            }
        }
        if (spec.platform().tpm()) {
            extra.add(new BackupHeader.FileEntry(TPM_ROLE, "files/" + TPM_ROLE));
        }
        Path seedDir = disks.seedDir(vm);
        for (String doc : CloudInitSeed.DOCUMENTS) {
            if (Files.isRegularFile(seedDir.resolve(doc))) {
                extra.add(new BackupHeader.FileEntry(
                        VmDisks.CLOUD_INIT + "/" + doc, "files/" + VmDisks.CLOUD_INIT + "/" + doc));
            }
        }
        var header = new BackupHeader(
                BackupHeader.FORMAT,
                vm.name(),
                vm.id(),
                clock.instant(),
                liveCopy,
                Json.tree(Json.write(vm)),
                diskEntries,
                extra);
        long all = Math.max(1, totalBytes);
        long[] before = {0};
        try (var w = BackupWriter.create(archive, clock)) {
            w.header(header);
            for (int i = 0; i < copies.size(); i++) {
                ctx.checkCancelled();
                ctx.report(
                        0.5 + 0.45 * before[0] / all,
                        "compressing disk " + entries.get(i).index() + " with zstd");
                long base = before[0];
                w.disk(
                        diskEntries.get(i).member(),
                        copies.get(i),
                        n -> ctx.report(0.5 + 0.45 * (base + n) / all, null));
                before[0] += copies.get(i).toFile().length();
            }
            for (var f : extra) {
                Path src = f.role().equals(TPM_ROLE)
                        ? state.resolve(TEMP).resolve(TPM_COPY)
                        : f.role().startsWith(VmDisks.CLOUD_INIT)
                                ? state.resolve(f.role())
                                : Path.of(
                                        f.role().equals("kernel")
                                                ? spec.boot().kernel()
                                                : spec.boot().initrd());
                w.file(f.member(), src);
            }
            return w.commit();
        }
    }

    /** Reads every byte of an archive and checks it against its manifest. */
    public Task verify(String archive) {
        Path p = files.resolve(archive);
        BackupReader.header(p);
        return tasks.submit("backup-verify", p.getFileName().toString(), "default", ctx -> {
            long total = Math.max(
                    1,
                    BackupReader.manifest(p).disks().stream()
                            .mapToLong(BackupManifest.Disk::rawSize)
                            .sum());
            long t0 = System.nanoTime();
            var report = BackupReader.verify(p, n -> ctx.report(Math.min(0.99, (double) n / total), null));
            if (!report.ok()) {
                throw VesselException.invalid("archive", p + " is damaged: " + String.join("; ", report.problems()));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            ctx.report(
                    1.0,
                    String.format(
                            Locale.ROOT,
                            "%s is sound: %d members, %s of disk data checked in %.1f s (%.0f MiB/s)",
                            p,
                            report.manifest().members().size(),
                            ByteSize.human(report.bytesChecked()),
                            s,
                            report.bytesChecked() / s / (1 << 20)));
        });
    }
}
