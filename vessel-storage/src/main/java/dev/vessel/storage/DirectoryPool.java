package dev.vessel.storage;

import dev.vessel.core.driver.InstanceDriver;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.ProjectKey;
import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.ImageTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The default pool: one file per volume, {@code <root>/<name>.qcow2} or {@code <root>/<name>.raw}. New content is
 * made under a hidden temporary name ({@code .<name>.<fmt>.partial}) and renamed into place, so a crash leaves the old
 * volume or none, never half of one; {@link #recover()} removes the temporary files.
 *
 * <p>VMs reach a volume through a hard link in their own directory ({@link #expose}): the VM's container already sees
 * that directory, so nothing is mounted and a running VM can take the volume at once. The link count is also how the
 * pool knows a volume is in use. It follows that the pool must be on the same file system as the VMs' directories.
 */
public final class DirectoryPool implements StoragePool {
    static final String PARTIAL = ".partial";
    private static final String STAT = "/usr/bin/stat";

    private final String name;
    private final Path root;
    private final ImageTool qemuImg;
    private final ProcessRunner proc;

    public DirectoryPool(String name, Path root, ImageTool qemuImg, ProcessRunner proc) {
        this.name = Names.requireValid("pool", name);
        this.root = root.toAbsolutePath().normalize();
        this.qemuImg = qemuImg;
        this.proc = proc;
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pool directory " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String driver() {
        return "dir";
    }

    @Override
    public PoolInfo info() {
        try {
            var store = Files.getFileStore(root);
            return new PoolInfo(name, driver(), root.toString(), store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + root, e);
        }
    }

    @Override
    public List<Volume> list() {
        var found = new ArrayList<FileName>();
        try (var files = Files.list(root)) {
            for (Path p : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                parse(p.getFileName().toString()).ifPresent(found::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list pool " + root, e);
        }
        var allocated =
                allocated(found.stream().map(f -> file(f.name(), f.format())).toList());
        var out = new ArrayList<Volume>();
        for (FileName f : found) {
            Path p = file(f.name(), f.format());
            if (allocated.containsKey(p.toString())) {
                out.add(volume(f.name(), f.format(), allocated.get(p.toString())));
            }
        }
        return out;
    }

    private record FileName(String name, VolumeFormat format) {}

    /** "data.qcow2" is volume "data" in qcow2; hidden, temporary and foreign files are not volumes. */
    private static Optional<FileName> parse(String file) {
        int dot = file.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String base = file.substring(0, dot);
        String ext = file.substring(dot + 1);
        if (!ProjectKey.isValid(base)) {
            return Optional.empty();
        }
        for (VolumeFormat f : VolumeFormat.values()) {
            if (f.extension().equals(ext)) {
                return Optional.of(new FileName(base, f));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Volume> find(String volume) {
        if (!ProjectKey.isValid(volume)) {
            return Optional.empty();
        }
        for (VolumeFormat f : VolumeFormat.values()) {
            if (Files.isRegularFile(file(volume, f))) {
                return Optional.of(volume(volume, f));
            }
        }
        return Optional.empty();
    }

    private Volume require(String volume) {
        return find(volume).orElseThrow(() -> VesselException.notFound("volume", volume));
    }

    Path file(String volume, VolumeFormat format) {
        return root.resolve(ProjectKey.requireValid("volume", volume) + "." + format.extension());
    }

    private Volume volume(String volume, VolumeFormat format) {
        Path p = file(volume, format);
        Long allocated = allocated(List.of(p)).get(p.toString());
        if (allocated == null) {
            throw VesselException.notFound("volume", volume);
        }
        return volume(volume, format, allocated);
    }

    private Volume volume(String volume, VolumeFormat format, long allocated) {
        Path p = file(volume, format);
        try {
            long virtual = format == VolumeFormat.raw ? Files.size(p) : QcowHeader.virtualSize(p);
            return new Volume(name, volume, format, virtual, allocated, p.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read volume " + p, e);
        }
    }

    /**
     * The bytes each file takes on disk, from one stat(1) for all of them (the JDK does not expose st_blocks). A file
     * that vanished meanwhile is missing from the answer.
     */
    private Map<String, Long> allocated(List<Path> files) {
        var out = new HashMap<String, Long>();
        if (files.isEmpty()) {
            return out;
        }
        var argv = new ArrayList<>(List.of(STAT, "-c", "%b %B %n", "--"));
        files.forEach(f -> argv.add(f.toString()));
        var r = proc.exec(argv, Duration.ofSeconds(30), null, null);
        for (String line : r.stdout().lines().toList()) {
            String[] parts = line.split(" ", 3);
            if (parts.length == 3) {
                out.put(parts[2], Long.parseLong(parts[0]) * Long.parseLong(parts[1]));
            }
        }
        return out;
    }

    @Override
    public Volume create(VolumeRequest r) {
        requireAbsent(r.name());
        if (r.preallocation().reservesSpace() && r.sizeBytes() > info().availableBytes()) {
            throw VesselException.invalid(
                    "size",
                    "pool '" + name + "' has " + info().availableBytes() + " bytes free, less than the " + r.sizeBytes()
                            + " to preallocate");
        }
        Path target = file(r.name(), r.format());
        Path tmp = partial(target);
        try {
            Files.deleteIfExists(tmp);
            qemuImg.create(
                    tmp, r.format().name(), r.sizeBytes(), r.preallocation().name());
            commit(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(tmp);
        }
        return volume(r.name(), r.format());
    }

    @Override
    public Volume resize(String volume, long newSize, boolean allowShrink) {
        VolumeSizes.require("size", newSize);
        Volume v = require(volume);
        if (newSize < v.virtualSize() && !allowShrink) {
            throw VesselException.invalid(
                    "size",
                    "shrinking '" + volume + "' from " + v.virtualSize() + " to " + newSize
                            + " bytes would lose the data past the new end; force it if that is what you want");
        }
        if (newSize != v.virtualSize()) {
            // In place: for qcow2 a header and table update, for raw a truncate; neither leaves a half state behind.
            qemuImg.resize(Path.of(v.path()), v.format().name(), newSize, newSize < v.virtualSize());
        }
        return volume(volume, v.format());
    }

    @Override
    public Volume importImage(
            String volume, Path source, SourceFormat from, VolumeFormat to, InstanceDriver.Progress progress) {
        requireAbsent(volume);
        Path target = file(volume, to);
        Path tmp = partial(target);
        long expected = Math.max(1, sizeOf(source));
        var done = new AtomicBoolean();
        // qemu-img's own progress goes to a terminal; the growing temporary file is a fair measure instead.
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (!done.get()) {
                progress.report(Math.min(0.99, sizeOf(tmp) / (double) expected), null);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            Files.deleteIfExists(tmp);
            qemuImg.convertTo(source, from.qemuDriver(), tmp, to.name());
            commit(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            done.set(true);
            watcher.interrupt();
            deleteQuietly(tmp);
        }
        return volume(volume, to);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void delete(String volume) {
        Volume v = require(volume);
        Path p = Path.of(v.path());
        if (links(p) > 1) {
            throw VesselException.inUse("volume '" + volume + "' is attached to a VM; detach it first");
        }
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p, e);
        }
    }

    @Override
    public Path expose(String volume, Path vmDir) {
        Volume v = require(volume);
        Path source = Path.of(v.path());
        Path link = vmDir.resolve(volume + "." + v.format().extension());
        try {
            Files.createDirectories(vmDir);
            if (Files.exists(link) && Files.isSameFile(link, source)) {
                return link;
            }
            Files.deleteIfExists(link);
            Files.createLink(link, source);
            return link;
        } catch (FileAlreadyExistsException e) {
            throw VesselException.exists("volume link", link.toString());
        } catch (IOException e) {
            throw VesselException.host(
                    "cannot link volume '" + volume + "' into " + vmDir
                            + " (the pool must be on the same file system as the VMs: " + e.getMessage() + ")",
                    e);
        }
    }

    /** How many directory entries name this file: 1 for a volume no VM has, more when exposed. */
    static long links(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:nlink")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + p, e);
        }
    }

    /** The number of VM directories a volume is exposed in. */
    public long exposures(String volume) {
        return links(Path.of(require(volume).path())) - 1;
    }

    @Override
    public Optional<Path> backupsDir() {
        return Optional.of(root.resolve("backups"));
    }

    @Override
    public List<String> recover() {
        var removed = new ArrayList<String>();
        try (var files = Files.list(root)) {
            for (Path p : files.toList()) {
                String f = p.getFileName().toString();
                if (f.startsWith(".") && f.endsWith(PARTIAL)) {
                    Files.deleteIfExists(p);
                    removed.add("removed the unfinished volume file " + p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up pool " + root, e);
        }
        return removed;
    }

    private void requireAbsent(String volume) {
        ProjectKey.requireValid("name", volume);
        if (find(volume).isPresent()) {
            throw VesselException.exists("volume", volume);
        }
    }

    private static Path partial(Path target) {
        return target.resolveSibling("." + target.getFileName() + PARTIAL);
    }

    /** Makes the temporary file durable, then renames it into place (refusing to replace a volume that appeared). */
    private static void commit(Path tmp, Path target) {
        try (var ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + tmp, e);
        }
        try {
            if (Files.exists(target)) {
                throw VesselException.exists("volume", target.getFileName().toString());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + tmp + " into place", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // recover() removes it at the next start
        }
    }
}
