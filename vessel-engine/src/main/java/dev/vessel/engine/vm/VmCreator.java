package dev.vessel.engine.vm;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.image.Image;
import dev.vessel.core.model.AccelMode;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.ByteSize;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.store.ImageStore;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.PathGuard;
import dev.vessel.model.VmCreateRequest;
import dev.vessel.qemu.ImageTool;
import dev.vessel.qemu.VmHostLayout;
import dev.vessel.qemu.VmPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Turns a create request into a stored VM: validates every field, resolves the image into files inside the VM's own
 * directory (a copy-on-write overlay for disks), and stores it. A failure removes what it made and stores nothing.
 */
public final class VmCreator {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final InstanceStore instances;
    private final dev.vessel.engine.project.Quotas quotas;
    private final ImageStore images;
    private final VmHostLayout layout;
    private final ImageTool qemuImg;
    private final Clock clock;
    private final int defaultStopTimeout;
    private final dev.vessel.host.ProcessRunner proc = new dev.vessel.host.ProcessRunner();
    private final dev.vessel.engine.storage.CloudInitSeeds cloudInit =
            new dev.vessel.engine.storage.CloudInitSeeds(proc);
    private final dev.vessel.engine.net.VmNetworking networks;
    private final dev.vessel.engine.project.ProjectScopes scopes;
    private final VmMedia media;
    private final PlatformFiles platformFiles;

    /**
     * @param scopes where each project's images live (a VM keeps its image's key)
     * @param networks NICs and published ports; null when the daemon has no managed networks ({@link dev.vessel.engine.net.VmNetworking#NONE}) */
    public VmCreator(
            InstanceStore instances,
            ImageStore images,
            VmHostLayout layout,
            ImageTool qemuImg,
            Clock clock,
            int defaultStopTimeout,
            dev.vessel.engine.net.VmNetworking networks,
            dev.vessel.engine.project.Quotas quotas,
            dev.vessel.engine.project.ProjectScopes scopes) {
        this.quotas = quotas;
        this.scopes = scopes;
        this.media = new VmMedia(images, scopes);
        this.platformFiles = new PlatformFiles(qemuImg, proc);
        this.networks = networks == null ? dev.vessel.engine.net.VmNetworking.NONE : networks;
        this.instances = instances;
        this.images = images;
        this.layout = layout;
        this.qemuImg = qemuImg;
        this.clock = clock;
        this.defaultStopTimeout = defaultStopTimeout;
    }

    /** Creates the VM in {@code project} (null: the default one), within its quotas. */
    public Instance create(String project, VmCreateRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        String name = dev.vessel.core.model.ProjectKey.of(project, Names.requireValid("name", r.name()));
        if (instances.byName(name).isPresent()) {
            throw VesselException.exists("instance", name);
        }
        long memory = r.memory() == null ? 256L << 20 : ByteSize.parse("memory", r.memory());
        int cpus = r.cpus() == null ? 1 : r.cpus();
        AccelMode accel = parseAccel(r.accel());
        var display = dev.vessel.core.model.Display.parse("display", r.display());
        var platform = PlatformFiles.platform(r);
        if (platform.os().windows() && r.display() == null) {
            display = dev.vessel.core.model.Display.std; // Windows has no serial console to speak of
        }
        int stopTimeout = r.stopTimeout() == null ? defaultStopTimeout : r.stopTimeout();
        boolean fromImage = r.image() != null;
        boolean media = r.cdroms() != null && !r.cdroms().isEmpty();
        boolean fromFiles =
                r.kernel() != null || (r.disks() != null && !r.disks().isEmpty());
        if (fromImage && fromFiles) {
            throw VesselException.invalid("image", "give either an image or kernel/disk files, not both");
        }
        if (!fromImage && !fromFiles && !media) {
            throw VesselException.invalid(
                    "image", "give either an image, kernel/disk files or a CD-ROM to install from, not neither");
        }
        if (fromImage && (r.initrd() != null || r.cmdline() != null)) {
            throw VesselException.invalid("initrd", "initrd and cmdline go with kernel, not with image");
        }
        String imageKey = fromImage ? scopes.imageKey(project, Names.requireValid("image", r.image())) : null;
        quotas.check(name, new dev.vessel.model.ProjectUsage(1, cpus, memory, 0));
        String id = newId();
        var seedConfig = r.cloudInit() == null ? null : cloudInit.config(r.cloudInit(), id, name);
        // Port mappings are checked before anything is made; addresses are reserved before the VM is stored.
        var forwards = networks.parsePorts(name, r.ports());
        VmPaths paths = layout.paths(id);
        boolean stored = false;
        try {
            Files.createDirectories(paths.disksDir());
            Boot boot;
            String marker;
            if (fromImage) {
                Image img = images.byName(imageKey).orElseThrow(() -> VesselException.notFound("image", r.image()));
                boot = bootFromImage(img, paths, media(project, r, paths));
                marker = r.readyMarker() != null ? r.readyMarker() : img.readyMarker();
            } else {
                boot = bootFromFiles(r, paths, media(project, r, paths));
                marker = r.readyMarker();
            }
            if (marker != null
                    && (marker.isBlank()
                            || marker.length() > 200
                            || marker.chars().anyMatch(c -> c < 0x20))) {
                throw VesselException.invalid("readyMarker", "must be 1..200 printable characters");
            }
            if (seedConfig != null) {
                boot = cloudInit.attach(boot, seedConfig, paths.stateDir());
            }
            boot = platformFiles.files(platform, r.varsTemplate(), boot, paths);
            if (r.unattend() != null) {
                boot = platformFiles.unattended(r, platform, name, boot, paths);
            }
            var nics = networks.reserve(id, name, r.networks());
            var spec = new VmSpec(
                            memory,
                            cpus,
                            accel,
                            stopTimeout,
                            imageKey,
                            boot,
                            marker,
                            dev.vessel.core.model.GuestMac.forInstance(id),
                            false)
                    .withNics(nics)
                    .withDisplay(display)
                    .withPlatform(platform);
            var instance = new Instance(
                    id, name, InstanceKind.VM, spec, new InstanceState.Created(clock.instant()), null, clock.instant());
            quotas.admit(name, spec, () -> {
                instances.insert(instance);
                return instance;
            });
            stored = true;
            networks.publish(forwards);
            return instance;
        } catch (RuntimeException e) {
            networks.release(id, e);
            if (stored) {
                instances.delete(id);
            }
            AtomicFiles.deleteTree(paths.stateDir());
            throw e;
        } catch (IOException e) {
            var failure = new UncheckedIOException(e);
            networks.release(id, failure);
            AtomicFiles.deleteTree(paths.stateDir());
            throw failure;
        }
    }

    /** The install CD-ROMs and the drivers CD, to follow the disks. */
    private List<Boot.Disk> media(String project, VmCreateRequest r, VmPaths paths) {
        var disks = new ArrayList<Boot.Disk>();
        var cds = r.cdroms() == null ? List.<String>of() : r.cdroms();
        if (cds.size() > 4) {
            throw VesselException.invalid("cdroms", "at most 4 CD-ROMs");
        }
        for (int i = 0; i < cds.size(); i++) {
            disks.add(media.cdrom(project, "cdroms[" + i + "]", cds.get(i), paths));
        }
        if (r.drivers() != null) {
            disks.add(media.cdrom(project, "drivers", r.drivers(), paths));
        }
        return disks;
    }

    private Boot bootFromImage(Image img, VmPaths paths, List<Boot.Disk> media) {
        var disks = new ArrayList<Boot.Disk>();
        if (img.disk() != null) {
            Path base = Path.of(img.disk());
            if (img.type() == Image.ImageType.iso) {
                disks.add(new Boot.Disk(base.toString(), Boot.DiskFormat.raw, true, Boot.DiskMedia.cdrom));
            } else {
                Path overlay = paths.disksDir().resolve("root.qcow2");
                qemuImg.createOverlay(base, img.diskFormat(), overlay);
                disks.add(new Boot.Disk(overlay.toString(), Boot.DiskFormat.qcow2, false, Boot.DiskMedia.disk));
            }
        }
        disks.addAll(media);
        return new Boot(img.kernel(), img.initrd(), img.cmdline(), disks);
    }

    private Boot bootFromFiles(VmCreateRequest r, VmPaths paths, List<Boot.Disk> media) throws IOException {
        if (r.kernel() == null && r.initrd() != null) {
            throw VesselException.invalid("initrd", "an initrd needs a kernel");
        }
        String kernel = null;
        String initrd = null;
        if (r.kernel() != null) {
            kernel = copyIn(
                            PathGuard.existingFile("kernel", r.kernel()),
                            paths.stateDir().resolve("vmlinuz"))
                    .toString();
        }
        if (r.initrd() != null) {
            initrd = copyIn(
                            PathGuard.existingFile("initrd", r.initrd()),
                            paths.stateDir().resolve("initrd.img"))
                    .toString();
        }
        if (r.cmdline() != null
                && (r.cmdline().length() > 2048 || r.cmdline().chars().anyMatch(c -> c < 0x20))) {
            throw VesselException.invalid("cmdline", "must be at most 2048 printable characters");
        }
        var disks = new ArrayList<Boot.Disk>();
        List<VmCreateRequest.DiskRequest> requested = r.disks() == null ? List.of() : r.disks();
        if (requested.size() > 16) {
            throw VesselException.invalid("disks", "at most 16 disks");
        }
        int i = 0;
        for (var d : requested) {
            if (d == null) {
                throw VesselException.invalid("disks", "a disk entry is null");
            }
            if (d.size() != null) {
                disks.add(blank(d, i, paths));
                i++;
                continue;
            }
            Path src = PathGuard.existingFile("disks[" + i + "].path", d.path());
            var info = qemuImg.info(src);
            if (info.backingFilename() != null) {
                throw VesselException.invalid(
                        "disks[" + i + "].path", "'" + src + "' has a backing file; import a standalone image");
            }
            String fmt = d.format() == null ? info.format() : d.format();
            if (!fmt.equals("qcow2") && !fmt.equals("raw")) {
                throw VesselException.invalid(
                        "disks[" + i + "].format",
                        "'" + fmt
                                + "' is not supported here (qcow2 or raw; import other formats with `vessel image import`)");
            }
            if (d.format() != null && !d.format().equals(info.format())) {
                throw VesselException.invalid(
                        "disks[" + i + "].format", "'" + src + "' is " + info.format() + ", not " + d.format());
            }
            Path target = paths.disksDir().resolve("disk" + i + ".qcow2");
            qemuImg.convert(src, fmt, target, "qcow2");
            disks.add(new Boot.Disk(target.toString(), Boot.DiskFormat.qcow2, false, Boot.DiskMedia.disk));
            i++;
        }
        disks.addAll(media);
        return new Boot(kernel, initrd, r.cmdline(), disks);
    }

    /** A blank qcow2 disk of the size asked for, to install an OS on (thin: it takes room as the guest writes). */
    private Boot.Disk blank(VmCreateRequest.DiskRequest d, int i, VmPaths paths) {
        if (d.path() != null) {
            throw VesselException.invalid("disks[" + i + "].size", "give a path or a size, not both");
        }
        long bytes = ByteSize.parse("disks[" + i + "].size", d.size());
        if (bytes < (1L << 20) || bytes > (64L << 40)) {
            throw VesselException.invalid("disks[" + i + "].size", d.size() + " is outside 1M..64T");
        }
        if (d.format() != null && !d.format().equals("qcow2")) {
            throw VesselException.invalid("disks[" + i + "].format", "a blank disk is qcow2");
        }
        Path target = paths.disksDir().resolve("disk" + i + ".qcow2");
        qemuImg.create(target, "qcow2", bytes, "off");
        return new Boot.Disk(target.toString(), Boot.DiskFormat.qcow2, false, Boot.DiskMedia.disk);
    }

    private static Path copyIn(Path src, Path target) throws IOException {
        Files.copy(src, target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    static AccelMode parseAccel(String s) {
        if (s == null) {
            return AccelMode.AUTO;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "auto" -> AccelMode.AUTO;
            case "kvm" -> AccelMode.KVM;
            case "tcg" -> AccelMode.TCG;
            default -> throw VesselException.invalid("accel", "'" + s + "' is not one of auto, kvm, tcg");
        };
    }

    static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
