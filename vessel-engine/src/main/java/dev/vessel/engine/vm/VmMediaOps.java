package dev.vessel.engine.vm;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.VmSpec;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.model.CdromRequest;
import dev.vessel.qemu.VmPaths;
import dev.vessel.qemu.block.CdromTrays;
import dev.vessel.qemu.qmp.QmpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Changing the medium in a VM's CD-ROM drive: at once in QEMU when it runs (the guest sees the tray open and close),
 * and in its spec, so that the next start has the same media. An ejected drive of a running VM stays there, empty,
 * until the VM stops; the spec then has no drive for it. A medium that is an ISO file of the host becomes the VM's
 * own first ({@link VmMedia}).
 */
public final class VmMediaOps {
    private final InstanceOps ops;
    private final VmMedia media;
    private final Function<Instance, VmPaths> paths;
    private final Function<String, Optional<QmpClient>> monitors;

    public VmMediaOps(
            InstanceOps ops,
            VmMedia media,
            Function<Instance, VmPaths> paths,
            Function<String, Optional<QmpClient>> monitors) {
        this.ops = ops;
        this.media = media;
        this.paths = paths;
        this.monitors = monitors;
    }

    /** The CD-ROMs of a VM, by their index among its disks. */
    static List<Integer> cdroms(VmSpec spec) {
        var out = new ArrayList<Integer>();
        for (int i = 0; i < spec.boot().disks().size(); i++) {
            if (spec.boot().disks().get(i).media() == Boot.DiskMedia.cdrom
                    && !spec.boot().disks().get(i).path().contains("/cloud-init/")) {
                out.add(i);
            }
        }
        return out;
    }

    public Instance change(String name, CdromRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        Instance vm = ops.get(name);
        if (!(vm.spec() instanceof VmSpec spec)) {
            throw VesselException.invalid("instance", "'" + name + "' is a container; CD-ROMs are for VMs");
        }
        if (spec.template()) {
            throw VesselException.state("vm '" + name + "' is a template");
        }
        if (vm.state() instanceof InstanceState.Starting || vm.state() instanceof InstanceState.Stopping) {
            throw VesselException.state("vm '" + name + "' is " + vm.state().label() + "; try again in a moment");
        }
        var drives = cdroms(spec);
        int limit = r.media() == null ? drives.size() - 1 : drives.size(); // inserting may add a drive
        if (r.drive() != null && (r.drive() < 0 || r.drive() > limit)) {
            throw VesselException.invalid("drive", "vm '" + name + "' has " + drives.size() + " CD-ROM drive(s)");
        }
        Optional<QmpClient> qmp =
                vm.state() instanceof InstanceState.Running || vm.state() instanceof InstanceState.Paused
                        ? monitors.apply(vm.id())
                        : Optional.empty();
        return r.media() == null ? eject(vm, spec, drives, r.drive(), qmp) : insert(vm, spec, drives, r, qmp);
    }

    private Instance eject(Instance vm, VmSpec spec, List<Integer> drives, Integer drive, Optional<QmpClient> qmp) {
        if (drives.isEmpty()) {
            throw VesselException.state("vm '" + vm.name() + "' has no CD-ROM in it");
        }
        int index = drives.get(drive == null ? 0 : drive);
        String file = spec.boot().disks().get(index).path();
        qmp.ifPresent(m -> CdromTrays.holding(m, file).ifPresent(dev -> CdromTrays.eject(m, dev)));
        return ops.updateSpec(vm.id(), s -> {
            var vs = (VmSpec) s;
            var disks = new ArrayList<>(vs.boot().disks());
            disks.removeIf(d -> d.path().equals(file) && d.media() == Boot.DiskMedia.cdrom);
            return vs.withBoot(
                    new Boot(vs.boot().kernel(), vs.boot().initrd(), vs.boot().cmdline(), disks));
        });
    }

    private Instance insert(Instance vm, VmSpec spec, List<Integer> drives, CdromRequest r, Optional<QmpClient> qmp) {
        Boot.Disk cd =
                media.cdrom(dev.vessel.core.model.ProjectKey.projectOf(vm.name()), "media", r.media(), paths.apply(vm));
        Integer replace = r.drive() != null && r.drive() < drives.size() ? drives.get(r.drive()) : null;
        if (qmp.isPresent()) {
            var m = qmp.get();
            String dev = replace != null
                    ? CdromTrays.holding(m, spec.boot().disks().get(replace).path())
                            .orElse(null)
                    : CdromTrays.empty(m).orElse(null);
            if (dev == null && replace == null && !drives.isEmpty()) {
                // no empty drive: the first one gets the new medium, as a desktop's single drive would
                replace = drives.getFirst();
                dev = CdromTrays.holding(m, spec.boot().disks().get(replace).path())
                        .orElse(null);
            }
            if (dev == null) {
                throw VesselException.state("vm '" + vm.name()
                        + "' runs without a CD-ROM drive; stop it to add one (a drive cannot be hot-plugged on SATA)");
            }
            CdromTrays.insert(m, dev, cd.path());
        }
        Integer at = replace;
        return ops.updateSpec(vm.id(), s -> {
            var vs = (VmSpec) s;
            var disks = new ArrayList<>(vs.boot().disks());
            if (at != null && at < disks.size() && disks.get(at).media() == Boot.DiskMedia.cdrom) {
                disks.set(at, cd);
            } else {
                int efivars = disks.indexOf(vs.boot().efivars().orElse(null));
                disks.add(efivars < 0 ? disks.size() : efivars, cd);
            }
            return vs.withBoot(
                    new Boot(vs.boot().kernel(), vs.boot().initrd(), vs.boot().cmdline(), disks));
        });
    }
}
