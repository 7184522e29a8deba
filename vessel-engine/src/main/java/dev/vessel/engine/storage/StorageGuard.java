package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.instance.InstanceGuard;
import dev.vessel.host.AtomicFiles;
import dev.vessel.qemu.ImageTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage's say in the lifecycle: a template never starts; a VM in the middle of a storage operation neither starts
 * nor goes away; a template whose disks back linked clones stays; a removed template's shared disks go with it.
 */
public final class StorageGuard implements InstanceGuard {
    private final InstanceStore instances;
    private final VmDisks disks;
    private final VmOpLocks locks;
    private final ImageTool qemuImg;

    public StorageGuard(InstanceStore instances, VmDisks disks, VmOpLocks locks, ImageTool qemuImg) {
        this.instances = instances;
        this.disks = disks;
        this.locks = locks;
        this.qemuImg = qemuImg;
    }

    @Override
    public void beforeStart(Instance i) {
        if (i.spec() instanceof VmSpec vm && vm.template()) {
            throw VesselException.state("vm '" + i.name() + "' is a template and never runs; clone it: vessel vm clone "
                    + i.name() + " NEW");
        }
        busy(i);
    }

    @Override
    public void beforeRemove(Instance i) {
        busy(i);
        if (i.spec() instanceof VmSpec vm && vm.template()) {
            var clones = linkedClones(i);
            if (!clones.isEmpty()) {
                throw VesselException.inUse("template '" + i.name() + "' is the base of the linked clone(s) "
                        + String.join(", ", clones) + "; remove them first (or make full clones)");
            }
        }
    }

    @Override
    public void afterRemove(Instance i) {
        AtomicFiles.deleteTree(disks.templateDir(i.id()));
    }

    private void busy(Instance i) {
        String op = locks.holder(i.id());
        if (op != null) {
            throw VesselException.state("vm '" + i.name() + "' is busy: " + op + " is in progress");
        }
    }

    /** The VMs with a disk whose backing chain passes through this template's directory. */
    public List<String> linkedClones(Instance template) {
        Path dir = disks.templateDir(template.id());
        var out = new ArrayList<String>();
        for (Instance other : instances.list()) {
            if (other.id().equals(template.id()) || !(other.spec() instanceof VmSpec)) {
                continue;
            }
            for (VmDisks.Entry e : disks.of(other)) {
                if (e.role() == VmDisks.Role.OWNED
                        && e.disk().format() == dev.vessel.core.model.Boot.DiskFormat.qcow2
                        && Files.exists(e.path())
                        && backsOnto(e.path(), dir)) {
                    out.add(other.name());
                    break;
                }
            }
        }
        return out;
    }

    private boolean backsOnto(Path image, Path dir) {
        return qemuImg.chain(image).stream()
                .anyMatch(c -> c.backingFilename() != null
                        && Path.of(c.backingFilename()).normalize().startsWith(dir));
    }
}
