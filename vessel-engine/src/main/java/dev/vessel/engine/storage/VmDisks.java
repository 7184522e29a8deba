package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.VmSpec;
import dev.vessel.qemu.VmHostLayout;
import dev.vessel.qemu.VmPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What each disk of a VM is to storage, told by where its file lives:
 *
 * <ul>
 *   <li>{@code <state>/disks/*}: the VM's own disks (made at create, clone or restore);
 *   <li>{@code <state>/volumes/<volume>.<fmt>}: a pool volume, hard-linked in by attach;
 *   <li>{@code <state>/cloud-init/seed.iso}: the VM's cloud-init seed;
 *   <li>{@code <images>/.templates/<id>/*}: a template's disks, which every VM's container sees read-only;
 *   <li>anything else under the images dir: an image's ISO, shared and read-only.
 * </ul>
 */
public final class VmDisks {
    public static final String TEMPLATES = ".templates";
    public static final String VOLUMES = "volumes";
    public static final String CLOUD_INIT = "cloud-init";

    public enum Role {
        OWNED,
        VOLUME,
        SEED,
        TEMPLATE,
        SHARED
    }

    /** @param volume the volume's name for {@link Role#VOLUME}, else null */
    public record Entry(int index, Boot.Disk disk, Role role, String volume) {
        public Path path() {
            return Path.of(disk.path());
        }

        public boolean writable() {
            return !disk.readOnly() && disk.media().holdsData();
        }
    }

    private final VmHostLayout layout;

    public VmDisks(VmHostLayout layout) {
        this.layout = layout;
    }

    public VmPaths paths(Instance i) {
        return layout.paths(i.id());
    }

    public Path volumesDir(Instance i) {
        return paths(i).stateDir().resolve(VOLUMES);
    }

    public Path seedDir(Instance i) {
        return paths(i).stateDir().resolve(CLOUD_INIT);
    }

    public Path templatesDir() {
        return layout.imagesDir().resolve(TEMPLATES);
    }

    public Path templateDir(String instanceId) {
        return templatesDir().resolve(instanceId);
    }

    public static VmSpec spec(Instance i) {
        if (!(i.spec() instanceof VmSpec vm)) {
            throw VesselException.invalid(
                    "instance",
                    "'" + i.name() + "' is not a VM; storage operations are for VMs (containers come later)");
        }
        return vm;
    }

    public List<Entry> of(Instance i) {
        VmSpec spec = spec(i);
        Path state = paths(i).stateDir();
        var out = new ArrayList<Entry>();
        int n = 0;
        for (Boot.Disk d : spec.boot().disks()) {
            Path p = Path.of(d.path()).normalize();
            Role role;
            String volume = null;
            if (p.startsWith(state.resolve(VOLUMES))) {
                role = Role.VOLUME;
                String f = p.getFileName().toString();
                volume = f.substring(0, f.lastIndexOf('.'));
            } else if (p.startsWith(state.resolve(CLOUD_INIT))) {
                role = Role.SEED;
            } else if (p.startsWith(state)) {
                role = Role.OWNED;
            } else if (p.startsWith(templatesDir())) {
                role = Role.TEMPLATE;
            } else {
                role = Role.SHARED;
            }
            out.add(new Entry(n++, d, role, volume));
        }
        return out;
    }

    /**
     * The disks a snapshot covers: every writable disk. All must be qcow2, the only format with internal snapshots;
     * a writable raw disk would silently be left out of the snapshot, so it is refused.
     */
    public List<Entry> snapshottable(Instance i) {
        var out = new ArrayList<Entry>();
        for (Entry e : of(i)) {
            if (!e.writable()) {
                continue;
            }
            if (e.disk().format() != Boot.DiskFormat.qcow2) {
                throw VesselException.state("vm '" + i.name() + "' has the raw disk "
                        + e.path().getFileName() + ", which cannot be snapshotted; detach it or use qcow2 volumes");
            }
            out.add(e);
        }
        if (out.isEmpty()) {
            throw VesselException.state("vm '" + i.name() + "' has no writable disk to snapshot");
        }
        return out;
    }
}
