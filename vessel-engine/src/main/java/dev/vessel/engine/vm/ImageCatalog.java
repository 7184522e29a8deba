package dev.vessel.engine.vm;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.image.Image;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.ProjectKey;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.store.ImageStore;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.core.task.Task;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.PathGuard;
import dev.vessel.model.ImageImportRequest;
import dev.vessel.model.VmImageView;
import dev.vessel.qemu.ImageTool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * VM images: the built-in tiny guest, and disk images imported from files. Each image lives in its own directory
 * under the images dir (named by its key: {@code tiny}, or {@code tiny.dev} for the tiny guest of project dev), which
 * VMs' containers see read-only; a VM's disk is a copy-on-write overlay on it. An image is a project's when the
 * project has {@code features.images}; other projects use the default project's.
 */
public final class ImageCatalog implements dev.vessel.engine.service.VmImages {
    public static final String TINY = "tiny";
    public static final String TINY_DISK = "tiny-disk";

    private final ImageStore store;
    private final InstanceStore instances;
    private final Path imagesDir;
    private final ImageTool qemuImg;
    private final TinyBuilder tiny;
    private final TaskRunner tasks;
    private final EventBus events;
    private final Clock clock;
    private final dev.vessel.engine.project.ProjectScopes scopes;
    private final dev.vessel.storage.download.Downloader downloader = new dev.vessel.storage.download.Downloader();

    public ImageCatalog(
            ImageStore store,
            InstanceStore instances,
            Path imagesDir,
            ImageTool qemuImg,
            TinyBuilder tiny,
            TaskRunner tasks,
            EventBus events,
            Clock clock,
            dev.vessel.engine.project.ProjectScopes scopes) {
        this.scopes = scopes;
        this.store = store;
        this.instances = instances;
        this.imagesDir = imagesDir;
        this.qemuImg = qemuImg;
        this.tiny = tiny;
        this.tasks = tasks;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<VmImageView> list(String project) {
        String home = project == null ? null : scopes.images(project);
        return store.list().stream()
                .filter(i -> home == null || ProjectKey.projectOf(i.name()).equals(home))
                .map(this::sized)
                .map(VmImageView::of)
                .toList();
    }

    @Override
    public VmImageView get(String project, String name) {
        return VmImageView.of(stored(scopes.imageKey(project, Names.requireValid("name", name))));
    }

    /** The keys of the images of {@code project}'s own (for the projects' holdings). */
    public List<String> keysOf(String project) {
        return store.list().stream()
                .map(Image::name)
                .filter(k -> ProjectKey.projectOf(k).equals(project))
                .sorted()
                .toList();
    }

    private Image stored(String key) {
        return sized(store.byName(key).orElseThrow(() -> VesselException.notFound("image", ProjectKey.nameOf(key))));
    }

    /** An image stored before its virtual size was recorded gets it from qemu-img (once: it is stored back). */
    private Image sized(Image i) {
        if (i.disk() == null || i.virtualSizeBytes() != null) {
            return i;
        }
        try {
            var info = qemuImg.info(Path.of(i.disk()));
            Image sized = i.withSizes(info.actualSize(), info.virtualSize());
            store.delete(i.name());
            store.insert(sized);
            return sized;
        } catch (RuntimeException e) {
            return i;
        }
    }

    /** What the disk takes on disk and how big the guest sees it. */
    private Image withDiskSizes(Image i) {
        var info = qemuImg.info(Path.of(i.disk()));
        return i.withSizes(info.actualSize(), info.virtualSize());
    }

    /**
     * Builds the tiny guest as the images "tiny" and "tiny-disk" of {@code project}'s image project; with force,
     * replaces them if no VM uses them.
     */
    @Override
    public Task buildTiny(String project, boolean force) {
        String tinyKey = scopes.imageKey(project, TINY);
        String diskKey = scopes.imageKey(project, TINY_DISK);
        for (String n : List.of(tinyKey, diskKey)) {
            if (store.byName(n).isPresent()) {
                if (!force) {
                    throw VesselException.exists("image", ProjectKey.nameOf(n));
                }
                requireUnused(n);
            }
        }
        return tasks.submit("build-tiny", tinyKey, ctx -> {
            Path work = imagesDir.resolve(".build-" + tinyKey);
            AtomicFiles.deleteTree(work);
            Files.createDirectories(work);
            try {
                var a = tiny.build(work, ctx);
                ctx.checkCancelled();
                for (String n : List.of(tinyKey, diskKey)) {
                    if (store.byName(n).isPresent()) {
                        store.delete(n);
                        AtomicFiles.deleteTree(imagesDir.resolve(n));
                    }
                }
                Path t = install(tinyKey, a.kernel(), a.initrd(), null);
                Path d = install(diskKey, a.kernel(), a.diskInitrd(), a.rootDisk());
                store.insert(new Image(
                        tinyKey,
                        Image.ImageType.kernel,
                        t.resolve("vmlinuz").toString(),
                        t.resolve("initrd.img").toString(),
                        a.cmdline(),
                        null,
                        null,
                        Files.size(t.resolve("vmlinuz")) + Files.size(t.resolve("initrd.img")),
                        a.readyMarker(),
                        clock.instant(),
                        null));
                store.insert(withDiskSizes(new Image(
                        diskKey,
                        Image.ImageType.kernel,
                        d.resolve("vmlinuz").toString(),
                        d.resolve("initrd.img").toString(),
                        a.cmdline(),
                        d.resolve("disk.qcow2").toString(),
                        "qcow2",
                        0,
                        a.readyMarker(),
                        clock.instant(),
                        null)));
                events.publish("image-created", null, tinyKey, Map.of());
                ctx.report(1, "images tiny and tiny-disk are ready");
            } finally {
                AtomicFiles.deleteTree(work);
            }
        });
    }

    private Path install(String name, Path kernel, Path initrd, Path disk) throws IOException {
        Path dir = imagesDir.resolve(name);
        Path tmp = imagesDir.resolve("." + name + ".new");
        AtomicFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        Files.copy(kernel, tmp.resolve("vmlinuz"));
        Files.copy(initrd, tmp.resolve("initrd.img"));
        if (disk != null) {
            Files.copy(disk, tmp.resolve("disk.qcow2"));
        }
        AtomicFiles.deleteTree(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    /**
     * Imports a qcow2, raw, vmdk, vdi, vhdx or ISO image into {@code project}'s image project, from a file on the
     * daemon's host or an http(s) URL. Validated with qemu-img (a file now, a download once it is in); converted when
     * asked.
     */
    @Override
    public Task importDisk(String project, ImageImportRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        String name = scopes.imageKey(project, Names.requireValid("name", r.name()));
        if (store.byName(name).isPresent()) {
            throw VesselException.exists("image", r.name());
        }
        if ((r.path() == null) == (r.url() == null)) {
            throw VesselException.invalid(
                    "path",
                    "give either path (a file on the daemon's host) or url, not "
                            + (r.path() == null ? "neither" : "both"));
        }
        if (r.path() != null) {
            if (r.sha256() != null) {
                throw VesselException.invalid("sha256", "is checked for downloads (url) only");
            }
            Path src = PathGuard.existingFile("path", r.path());
            var plan = plan(src, r);
            return tasks.submit("image-import", name, ctx -> write(ctx, name, src, plan, r.readyMarker()));
        }
        var url = dev.vessel.storage.download.Downloader.parseUrl("url", r.url());
        String sha = dev.vessel.storage.download.Downloader.checkSha256("sha256", r.sha256());
        if (r.format() != null) {
            requireKnown(r.format());
        }
        return tasks.submit("image-download", name, ctx -> {
            Path partial = imagesDir.resolve("." + name + ".download");
            try {
                ctx.report(0.0, "downloading " + url);
                long free = Files.getFileStore(imagesDir).getUsableSpace();
                var got = downloader.fetch(
                        url,
                        partial,
                        sha,
                        free,
                        (done, total) -> ctx.report(total > 0 ? 0.7 * done / total : 0.3, null));
                ctx.log("downloaded " + dev.vessel.core.model.ByteSize.human(got.bytes()) + ", sha256 " + got.sha256()
                        + (sha != null ? " (as expected)" : ""));
                write(ctx, name, partial, plan(partial, r), r.readyMarker());
            } finally {
                Files.deleteIfExists(partial);
            }
        });
    }

    /** What an import will do with a file: its detected format, the format asked for, and what it is stored as. */
    record Plan(String detected, String format, String target) {}

    private static void requireKnown(String format) {
        if (!List.of("qcow2", "raw", "iso", "vmdk", "vdi", "vhdx").contains(format)) {
            throw VesselException.invalid("format", "'" + format + "' is not one of qcow2, raw, iso, vmdk, vdi, vhdx");
        }
    }

    private Plan plan(Path src, ImageImportRequest r) {
        var info = qemuImg.chain(src);
        if (info.size() > 1 || info.getFirst().backingFilename() != null) {
            throw VesselException.invalid(
                    "path",
                    "'" + src + "' has a backing file (" + info.getFirst().backingFilename()
                            + "); Vessel imports only standalone images");
        }
        String detected = info.getFirst().format();
        boolean iso = detected.equals("raw") && isIso(src);
        String format = r.format() == null ? (iso ? "iso" : detected) : r.format();
        requireKnown(format);
        String expected = format.equals("iso") ? "raw" : format;
        if (!expected.equals(detected)) {
            throw VesselException.invalid("format", "'" + src + "' is " + detected + ", not " + format);
        }
        if (format.equals("iso") && !iso) {
            throw VesselException.invalid("format", "'" + src + "' has no ISO 9660 signature");
        }
        String target = r.convert() != null
                ? r.convert()
                : switch (format) {
                    case "qcow2", "raw", "iso" -> format;
                    default -> "qcow2";
                };
        if (!List.of("qcow2", "raw").contains(target) && !(format.equals("iso") && target.equals("iso"))) {
            throw VesselException.invalid("convert", "'" + target + "' is not qcow2 or raw");
        }
        return new Plan(detected, format, target);
    }

    private void write(dev.vessel.engine.task.TaskContext ctx, String name, Path src, Plan plan, String marker)
            throws IOException {
        Path dir = imagesDir.resolve(name);
        Path tmp = imagesDir.resolve("." + name + ".new");
        AtomicFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        String target = plan.target();
        try {
            String file = target.equals("iso") ? "disk.iso" : "disk." + target;
            ctx.report(
                    0.75,
                    "copying " + src + " (" + plan.detected() + " -> " + (target.equals("iso") ? "raw" : target) + ")");
            qemuImg.convert(src, plan.detected(), tmp.resolve(file), target.equals("iso") ? "raw" : target);
            ctx.checkCancelled();
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            Path disk = dir.resolve(file);
            store.insert(withDiskSizes(new Image(
                    name,
                    plan.format().equals("iso") ? Image.ImageType.iso : Image.ImageType.disk,
                    null,
                    null,
                    null,
                    disk.toString(),
                    target.equals("iso") ? "raw" : target,
                    0,
                    marker,
                    clock.instant(),
                    null)));
            events.publish("image-created", null, name, Map.of("format", target));
            ctx.report(1.0, "image " + dev.vessel.core.model.ProjectKey.nameOf(name) + ": " + plan.format());
        } catch (RuntimeException | IOException e) {
            AtomicFiles.deleteTree(tmp);
            if (store.byName(name).isEmpty()) {
                AtomicFiles.deleteTree(dir);
            }
            throw e;
        }
    }

    static boolean isIso(Path file) {
        try (var f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < 0x8006) {
                return false;
            }
            f.seek(0x8001);
            byte[] b = new byte[5];
            f.readFully(b);
            return new String(b, java.nio.charset.StandardCharsets.US_ASCII).equals("CD001");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void remove(String project, String image) {
        String name = stored(scopes.imageKey(project, Names.requireValid("name", image)))
                .name();
        requireUnused(name);
        store.delete(name);
        AtomicFiles.deleteTree(imagesDir.resolve(name));
        events.publish("image-removed", null, name, Map.of());
    }

    /** @param name the image's key, which VMs made from it keep as their image */
    private void requireUnused(String name) {
        var users = instances.list().stream()
                .filter(i -> i.spec() instanceof VmSpec vm && name.equals(vm.image()))
                .map(i -> i.name())
                .toList();
        if (!users.isEmpty()) {
            throw VesselException.inUse(
                    "image '" + ProjectKey.nameOf(name) + "' is used by " + String.join(", ", users));
        }
    }
}
