package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.host.AtomicFiles;
import dev.vessel.model.CloneRequest;
import dev.vessel.qemu.ImageTool;
import dev.vessel.storage.cloudinit.CloudInitSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Templates and clones. A template's disks move to {@code <images>/.templates/<id>/}, read-only (mode 0444, which root
 * without capabilities, as QEMU runs, cannot write), where every VM's container already sees them; a linked clone's
 * disk is a qcow2 overlay whose backing file is the template's disk there, a full clone's a flattened copy.
 */
public final class TemplateOps {
    private final InstanceOps ops;
    private final InstanceStore instances;
    private final VmDisks disks;
    private final NewVms newVms;
    private final ImageTool qemuImg;
    private final VmOpLocks locks;
    private final Journal journal;
    private final TaskRunner tasks;
    private final EventBus events;

    public TemplateOps(
            InstanceOps ops,
            InstanceStore instances,
            VmDisks disks,
            NewVms newVms,
            ImageTool qemuImg,
            VmOpLocks locks,
            Journal journal,
            TaskRunner tasks,
            EventBus events) {
        this.ops = ops;
        this.instances = instances;
        this.disks = disks;
        this.newVms = newVms;
        this.qemuImg = qemuImg;
        this.locks = locks;
        this.journal = journal;
        this.tasks = tasks;
        this.events = events;
    }

    public Instance template(String vmName) {
        Instance vm = ops.get(vmName);
        VmSpec spec = VmDisks.spec(vm);
        if (spec.template()) {
            throw VesselException.state("vm '" + vmName + "' is a template already");
        }
        if (vm.state().active()) {
            throw VesselException.state("vm '" + vmName + "' is " + vm.state().label() + "; stop it first");
        }
        try (var held = locks.acquire(vm.id(), vmName, "template")) {
            var entries = disks.of(vm);
            if (entries.stream().anyMatch(e -> e.role() == VmDisks.Role.VOLUME)) {
                throw VesselException.state(
                        "vm '" + vmName + "' has volumes attached; detach them first (a template's disks are its own)");
            }
            Path dir = disks.templateDir(vm.id());
            var moves = new ArrayList<JournalEntry.TemplateMove.Move>();
            for (var e : entries) {
                if (e.role() == VmDisks.Role.OWNED && e.disk().media().holdsData()) {
                    moves.add(new JournalEntry.TemplateMove.Move(
                            e.disk().path(), dir.resolve(e.path().getFileName()).toString()));
                }
            }
            String jid = journal.begin(vm.id(), new JournalEntry.TemplateMove(moves));
            try {
                Files.createDirectories(dir);
                for (var m : moves) {
                    Files.move(Path.of(m.from()), Path.of(m.to()), StandardCopyOption.ATOMIC_MOVE);
                    Files.setPosixFilePermissions(Path.of(m.to()), PosixFilePermissions.fromString("r--r--r--"));
                }
                for (var e : entries) {
                    if (e.role() == VmDisks.Role.OWNED && e.disk().media().holdsData()) {
                        Path disk = dir.resolve(e.path().getFileName());
                        qemuImg.createOverlay(disk, e.disk().format().name(), prototype(disk));
                    }
                }
                Instance done = ops.updateSpec(vm.id(), s -> {
                    var vs = (VmSpec) s;
                    var list =
                            vs.boot().disks().stream().map(d -> moved(d, moves)).toList();
                    return vs.withBoot(new Boot(
                                    vs.boot().kernel(),
                                    vs.boot().initrd(),
                                    vs.boot().cmdline(),
                                    list))
                            .asTemplate();
                });
                journal.end(jid);
                events.publish("templated", "vm", vmName, Map.of("disks", moves.size()));
                return done;
            } catch (IOException | RuntimeException e) {
                undoTemplate(moves);
                journal.end(jid);
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        }
    }

    private static Boot.Disk moved(Boot.Disk d, List<JournalEntry.TemplateMove.Move> moves) {
        for (var m : moves) {
            if (m.from().equals(d.path())) {
                return new Boot.Disk(m.to(), d.format(), true, d.media());
            }
        }
        return d;
    }

    /**
     * The empty overlay every linked clone of this template disk starts as, made once by qemu-img at template time.
     * qemu-img writes the same bytes for the same backing file, format and size, so copying it is the same as running
     * {@code qemu-img create -b} again, without a process per clone.
     */
    static Path prototype(Path templateDisk) {
        String f = templateDisk.getFileName().toString();
        return templateDisk.resolveSibling("." + f.substring(0, f.lastIndexOf('.')) + ".clone.qcow2");
    }

    /** Moves the disks back where they were; repeatable (recovery uses it). */
    static void undoTemplate(List<JournalEntry.TemplateMove.Move> moves) {
        for (var m : moves) {
            try {
                if (Files.exists(Path.of(m.to())) && !Files.exists(Path.of(m.from()))) {
                    Files.setPosixFilePermissions(Path.of(m.to()), PosixFilePermissions.fromString("rw-r--r--"));
                    Files.move(Path.of(m.to()), Path.of(m.from()), StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move " + m.to() + " back to " + m.from(), e);
            }
        }
        if (!moves.isEmpty()) {
            AtomicFiles.deleteTree(Path.of(moves.getFirst().to()).getParent());
        }
    }

    public enum Mode {
        linked,
        full
    }

    /** A linked clone is made at once (an overlay per disk) and returned; a full clone copies, as a task. */
    public Object clone(String srcName, CloneRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        Instance src = ops.get(srcName);
        VmSpec spec = VmDisks.spec(src);
        Mode mode = r.mode() == null ? (spec.template() ? Mode.linked : Mode.full) : parseMode(r.mode());
        // The clone lives in its source's project.
        String name = newVms.requireFreeName(dev.vessel.core.model.ProjectKey.of(
                src.project(), dev.vessel.core.model.Names.requireValid("name", r.name())));
        if (mode == Mode.linked && !spec.template()) {
            throw VesselException.state("a linked clone needs a template (its disks never change): vessel vm template "
                    + srcName + ", or clone --full");
        }
        if (src.state().active()) {
            throw VesselException.state(
                    "vm '" + srcName + "' is " + src.state().label() + "; clone a stopped VM or a template");
        }
        newVms.requireRoom(name, spec);
        if (disks.of(src).stream().anyMatch(e -> e.role() == VmDisks.Role.VOLUME)) {
            throw VesselException.state(
                    "vm '" + srcName + "' has volumes attached; detach them first (volumes are not cloned)");
        }
        if (mode == Mode.linked) {
            return make(src, name, mode, ProgressSink.NONE);
        }
        var held = locks.acquire(src.id(), srcName, "full clone to " + name);
        try {
            return tasks.submit("clone", srcName, ctx -> {
                try (held) {
                    Instance made = make(src, name, mode, (f, m) -> ctx.report(f, m));
                    ctx.report(1.0, "full clone " + made.name() + " (id " + made.id() + ") of " + srcName);
                }
            });
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** Progress of a clone. */
    @FunctionalInterface
    interface ProgressSink {
        void report(double fraction, String message);

        ProgressSink NONE = (f, m) -> {};
    }

    private Instance make(Instance src, String name, Mode mode, ProgressSink progress) {
        VmSpec spec = VmDisks.spec(src);
        String id = NewVms.newId();
        var paths = newVms.paths(id);
        Path fromState = disks.paths(src).stateDir();
        String jid = journal.begin(
                id, new JournalEntry.NewInstance(id, paths.stateDir().toString(), name));
        try {
            Files.createDirectories(paths.disksDir());
            var list = new ArrayList<Boot.Disk>();
            var entries = disks.of(src);
            for (var e : entries) {
                Boot.Disk d = e.disk();
                switch (e.role()) {
                    case OWNED, TEMPLATE -> {
                        if (!d.media().holdsData()) {
                            // a template's shared media stay where they are; a VM's own ISO or setup image is the
                            // clone's own too (its container sees no other VM's directory)
                            list.add(
                                    e.role() == VmDisks.Role.OWNED
                                            ? new Boot.Disk(
                                                    d.media() == Boot.DiskMedia.cdrom
                                                            ? NewVms.linkOrCopy(d.path(), fromState, paths.stateDir())
                                                            : NewVms.bootFile(d.path(), fromState, paths.stateDir()),
                                                    d.format(),
                                                    d.readOnly(),
                                                    d.media())
                                            : d);
                            continue;
                        }
                        Path target =
                                paths.disksDir().resolve(e.path().getFileName().toString());
                        if (mode == Mode.linked) {
                            Path overlay = target.resolveSibling(stripExt(target) + ".qcow2");
                            Path proto = prototype(e.path());
                            if (Files.isRegularFile(proto)) {
                                Files.copy(proto, overlay);
                                Files.setPosixFilePermissions(overlay, PosixFilePermissions.fromString("rw-r--r--"));
                            } else {
                                qemuImg.createOverlay(e.path(), d.format().name(), overlay);
                            }
                            list.add(new Boot.Disk(overlay.toString(), Boot.DiskFormat.qcow2, false, d.media()));
                        } else {
                            progress.report(
                                    0.1 + 0.8 * e.index() / entries.size(),
                                    "copying " + e.path().getFileName());
                            Path tmp = target.resolveSibling("." + target.getFileName() + ".partial");
                            qemuImg.convertTo(
                                    e.path(), d.format().name(), tmp, d.format().name());
                            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                            list.add(new Boot.Disk(target.toString(), d.format(), false, d.media()));
                        }
                    }
                    case SEED ->
                        list.add(newVms.reseed(CloudInitSeed.read(e.path().getParent()), id, name, paths.stateDir()));
                    case SHARED -> list.add(d);
                    case VOLUME -> throw VesselException.state("volumes are not cloned");
                }
            }
            if (spec.platform().tpm()) {
                // the same TPM, as Proxmox VE clones its tpmstate volume: keys sealed to it open in the clone too
                progress.report(0.9, "copying the TPM state");
                NewVms.bootFile(disks.paths(src).tpmState().toString(), fromState, paths.stateDir());
            }
            var boot = new Boot(
                    NewVms.bootFile(spec.boot().kernel(), fromState, paths.stateDir()),
                    NewVms.bootFile(spec.boot().initrd(), fromState, paths.stateDir()),
                    spec.boot().cmdline(),
                    list);
            Instance made = newVms.store(id, name, spec, boot);
            journal.end(jid);
            events.publish("cloned", "vm", name, Map.of("from", src.name(), "mode", mode.name()));
            return made;
        } catch (IOException | RuntimeException e) {
            if (instances.byId(id).isEmpty()) {
                AtomicFiles.deleteTree(paths.stateDir());
            }
            journal.end(jid);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static String stripExt(Path p) {
        String f = p.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    private static Mode parseMode(String s) {
        return switch (s) {
            case "linked" -> Mode.linked;
            case "full" -> Mode.full;
            default -> throw VesselException.invalid("mode", "'" + s + "' is not linked or full");
        };
    }
}
