package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.ByteSize;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceSpec;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.core.task.Task;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.task.TaskContext;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.model.RestoreRequest;
import dev.vessel.storage.backup.BackupHeader;
import dev.vessel.storage.backup.BackupManifest;
import dev.vessel.storage.backup.BackupReader;
import dev.vessel.storage.cloudinit.CloudInitSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Restores an archive as a new VM: new id, MAC, SMBIOS UUID and cloud-init instance id, every byte checked against the
 * manifest while it is written. The disks become the VM's own qcow2 disks (volumes that were attached included); files
 * an image provided (its kernel, an ISO) must still be there. A journaled sequence: a crash leaves no half VM.
 */
public final class RestoreOps {
    private final InstanceStore instances;
    private final BackupFiles files;
    private final NewVms newVms;
    private final Journal journal;
    private final TaskRunner tasks;
    private final EventBus events;

    public RestoreOps(
            InstanceStore instances,
            BackupFiles files,
            NewVms newVms,
            Journal journal,
            TaskRunner tasks,
            EventBus events) {
        this.instances = instances;
        this.files = files;
        this.newVms = newVms;
        this.journal = journal;
        this.tasks = tasks;
        this.events = events;
    }

    public Task restore(String project, RestoreRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        Path archive = files.resolve(r.archive());
        BackupHeader header = BackupReader.header(archive);
        String name = newVms.requireFreeName(dev.vessel.core.model.ProjectKey.of(
                project,
                r.name() == null
                        ? dev.vessel.core.model.ProjectKey.nameOf(header.vmName())
                        : dev.vessel.core.model.Names.requireValid("name", r.name())));
        VmSpec spec = spec(header);
        newVms.requireRoom(name, spec);
        for (String shared : sharedFiles(header, spec)) {
            if (!Files.isRegularFile(Path.of(shared))) {
                throw VesselException.state("the backup needs " + shared
                        + ", which this host no longer has (re-create or import the image it came from)");
            }
        }
        return tasks.submit("restore", name, ctx -> run(ctx, archive, header, spec, name));
    }

    private static VmSpec spec(BackupHeader h) {
        try {
            if (Json.MAPPER.treeToValue(h.config().path("spec"), InstanceSpec.class) instanceof VmSpec vm) {
                return vm;
            }
        } catch (IOException | RuntimeException e) {
            throw VesselException.invalid("archive", "the backup's VM config is not readable: " + e.getMessage());
        }
        throw VesselException.invalid("archive", "the backup is not of a VM");
    }

    /** Files the restored VM refers to in place: an image's kernel and initrd, shared ISOs, template disks not in the archive. */
    private List<String> sharedFiles(BackupHeader h, VmSpec spec) {
        var roles = h.files().stream().map(BackupHeader.FileEntry::role).toList();
        var out = new ArrayList<String>();
        if (spec.boot().kernel() != null && !roles.contains("kernel")) {
            out.add(spec.boot().kernel());
        }
        if (spec.boot().initrd() != null && !roles.contains("initrd")) {
            out.add(spec.boot().initrd());
        }
        var saved = h.disks().stream().map(BackupHeader.DiskEntry::index).toList();
        var disks = spec.boot().disks();
        for (int i = 0; i < disks.size(); i++) {
            if (!saved.contains(i) && !isSeed(disks.get(i)) && !ownMedia(h, disks.get(i))) {
                out.add(disks.get(i).path());
            }
        }
        return out;
    }

    /**
     * An ISO or setup image the backed-up VM had in its own directory: install media, not its data, so neither in the
     * archive nor in the restored VM (whose container could not see another VM's directory anyway).
     */
    private boolean ownMedia(BackupHeader h, Boot.Disk d) {
        return !d.media().holdsData()
                && !isSeed(d)
                && Path.of(d.path()).startsWith(newVms.paths(h.vmId()).stateDir());
    }

    private static boolean isSeed(Boot.Disk d) {
        return d.media() == Boot.DiskMedia.cdrom
                && d.path().endsWith("/" + VmDisks.CLOUD_INIT + "/" + CloudInitSeed.ISO);
    }

    private void run(TaskContext ctx, Path archive, BackupHeader h, VmSpec spec, String name) {
        String id = NewVms.newId();
        var paths = newVms.paths(id);
        Path state = paths.stateDir();
        String jid = journal.begin(id, new JournalEntry.NewInstance(id, state.toString(), name));
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(paths.disksDir());
            Map<String, Path> targets = new HashMap<>();
            Map<Integer, Path> diskFiles = new HashMap<>();
            for (var d : h.disks()) {
                Path final_ = paths.disksDir().resolve("disk" + d.index() + ".qcow2");
                targets.put(d.member(), final_.resolveSibling("." + final_.getFileName() + ".partial"));
                diskFiles.put(d.index(), final_);
            }
            for (var f : h.files()) {
                Path t = state.resolve(f.role()).normalize();
                if (!t.startsWith(state)) {
                    throw VesselException.invalid("archive", "file role '" + f.role() + "' leaves the VM's directory");
                }
                Files.createDirectories(t.getParent());
                targets.put(f.member(), t);
            }
            long total = Math.max(
                    1,
                    BackupReader.manifest(archive).disks().stream()
                            .mapToLong(BackupManifest.Disk::rawSize)
                            .sum());
            ctx.report(
                    0.02,
                    "restoring " + h.disks().size() + " disk(s) of " + h.vmName() + " (backed up " + h.createdAt()
                            + ") as " + name);
            var report = BackupReader.extract(
                    archive, targets, n -> ctx.report(0.02 + 0.9 * Math.min(1, (double) n / total), null));
            for (var d : h.disks()) {
                Files.move(targets.get(d.member()), diskFiles.get(d.index()), StandardCopyOption.ATOMIC_MOVE);
            }
            Instance made = newVms.store(id, name, spec, boot(h, spec, diskFiles, id, name, state));
            journal.end(jid);
            double s = (System.nanoTime() - t0) / 1e9;
            events.publish("restored", "vm", name, Map.of("archive", archive.toString(), "from", h.vmName()));
            ctx.report(
                    1.0,
                    String.format(
                            Locale.ROOT,
                            "restored %s as %s (id %s): %s checked and written in %.1f s (%.0f MiB/s)",
                            h.vmName(),
                            made.name(),
                            made.id(),
                            ByteSize.human(report.bytesChecked()),
                            s,
                            report.bytesChecked() / s / (1 << 20)));
        } catch (IOException | RuntimeException e) {
            if (instances.byId(id).isEmpty()) {
                AtomicFiles.deleteTree(state);
            }
            journal.end(jid);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private Boot boot(BackupHeader h, VmSpec spec, Map<Integer, Path> diskFiles, String id, String name, Path state) {
        var roles = h.files().stream().map(BackupHeader.FileEntry::role).toList();
        String kernel = roles.contains("kernel")
                ? state.resolve("kernel").toString()
                : spec.boot().kernel();
        String initrd = roles.contains("initrd")
                ? state.resolve("initrd").toString()
                : spec.boot().initrd();
        var disks = new ArrayList<Boot.Disk>();
        var old = spec.boot().disks();
        for (int i = 0; i < old.size(); i++) {
            Boot.Disk d = old.get(i);
            if (diskFiles.containsKey(i)) {
                int index = i;
                boolean ro = h.disks().stream()
                        .filter(x -> x.index() == index)
                        .findFirst()
                        .map(BackupHeader.DiskEntry::readOnly)
                        .orElse(false);
                disks.add(new Boot.Disk(diskFiles.get(i).toString(), Boot.DiskFormat.qcow2, ro, d.media()));
            } else if (isSeed(d)) {
                disks.add(newVms.reseed(CloudInitSeed.read(state.resolve(VmDisks.CLOUD_INIT)), id, name, state));
            } else if (!ownMedia(h, d)) {
                disks.add(d);
            }
        }
        return new Boot(kernel, initrd, spec.boot().cmdline(), disks);
    }
}
