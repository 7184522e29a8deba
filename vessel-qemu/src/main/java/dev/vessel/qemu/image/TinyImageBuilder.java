package dev.vessel.qemu.image;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.DownloadNetwork;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds the tiny demo/test guest from Debian packages: the cloud kernel, a busybox initramfs, and for the disk
 * variant a second initramfs plus an ext4 root in qcow2. Nothing is mounted and nothing needs root except what apt
 * itself needs. The image is assembled in a hidden directory beside the target and renamed into place, so a failed
 * build leaves the previous image (or nothing) behind, never half of one.
 *
 * <p>Layout of the target directory: {@code vmlinuz}, {@code initrd.img}, {@code disk-initrd.img}, {@code root.qcow2},
 * {@code build.json}.
 */
public final class TinyImageBuilder {
    public static final Path DEFAULT_DEB_CACHE = Path.of("/var/cache/vessel/debs");
    /** The ext4 root's virtual size; qcow2 stores only what is used (about 3 MiB when new). */
    public static final String ROOT_DISK_SIZE = "512M";
    /** Bump when the layout changes in a way the scripts' hash would not show, to make old images rebuild. */
    static final String FORMAT = "vessel-tiny-1";

    static final String BUSYBOX_PACKAGE = "busybox-static";
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);
    private static final Object JVM_LOCK = new Object();

    private final ProcessRunner runner;
    private final DebianPackages packages;

    public TinyImageBuilder() {
        this(new ProcessRunner(), DEFAULT_DEB_CACHE);
    }

    public TinyImageBuilder(ProcessRunner runner, Path debCache) {
        this(runner, debCache, DownloadNetwork.own());
    }

    /** @param network the network namespace the packages are downloaded in (the host's, for a daemon in its own) */
    public TinyImageBuilder(ProcessRunner runner, Path debCache, DownloadNetwork network) {
        this.runner = runner;
        this.packages = new DebianPackages(runner, debCache, network);
    }

    /**
     * Returns the image in {@code target}, building it first unless the one there was built from the same scripts and
     * the same package versions apt offers now. Without apt lists an existing image with the same scripts is reused.
     */
    public TinyImage build(Path target, BuildProgress progress) {
        return build(target, progress, false);
    }

    /** Builds {@code target} anew even if it is up to date. */
    public TinyImage rebuild(Path target, BuildProgress progress) {
        return build(target, progress, true);
    }

    /** The image already in {@code target}, if a complete build is there. */
    public static Optional<TinyImage> existing(Path target) {
        return readInfo(target).filter(i -> complete(target)).map(i -> image(target, i));
    }

    private TinyImage build(Path target, BuildProgress progress, boolean force) {
        Path dir = target.toAbsolutePath().normalize();
        synchronized (JVM_LOCK) {
            try {
                Files.createDirectories(dir.getParent());
                // The file lock keeps a second daemon or a CLI run from building into the same place at once.
                try (var lockFile = FileChannel.open(
                        dir.resolveSibling("." + dir.getFileName() + ".lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    lockFile.lock();
                    return buildLocked(dir, progress, force);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build the tiny image in " + dir, e);
            }
        }
    }

    private TinyImage buildLocked(Path target, BuildProgress progress, boolean force) throws IOException {
        progress.report(0.0, "resolving the kernel and busybox packages with apt-cache");
        String resources = resourcesHash();
        Optional<BuildInfo> have = readInfo(target)
                .filter(i -> complete(target) && i.resourcesHash().equals(resources));
        DebianPackages.Deb kernelDeb;
        DebianPackages.Deb busyboxDeb;
        try {
            kernelDeb = packages.candidate(packages.kernelPackage());
            busyboxDeb = packages.candidate(BUSYBOX_PACKAGE);
        } catch (VesselException e) {
            if (have.isPresent() && !force) {
                progress.report(
                        1.0, "apt cannot resolve packages (" + e.getMessage() + "); reusing the existing image");
                return image(target, have.get());
            }
            throw e;
        }
        if (!force
                && have.isPresent()
                && have.get().kernelPackage().equals(kernelDeb.name())
                && have.get().kernelPackageVersion().equals(kernelDeb.version())
                && have.get().busyboxVersion().equals(busyboxDeb.version())) {
            progress.report(1.0, "the tiny image in " + target + " is up to date");
            return image(target, have.get());
        }

        Path tmp = target.resolveSibling("." + target.getFileName() + ".build-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            Path work = tmp.resolve("work");
            progress.report(0.05, "downloading " + kernelDeb.name() + " " + kernelDeb.version());
            Path kernelFile = packages.fetch(kernelDeb);
            progress.report(0.35, "downloading " + busyboxDeb.name() + " " + busyboxDeb.version());
            Path busyboxFile = packages.fetch(busyboxDeb);

            progress.report(0.4, "unpacking the packages");
            packages.unpack(kernelFile, work.resolve("kernel"));
            packages.unpack(busyboxFile, work.resolve("busybox"));
            KernelTree kernel = KernelTree.find(work.resolve("kernel"));
            Path busybox = work.resolve("busybox/bin/busybox");
            if (!Files.isRegularFile(busybox)) {
                throw VesselException.host(busyboxDeb.name() + " has no bin/busybox", null);
            }

            progress.report(0.5, "checking the kernel config of " + kernel.release() + " and collecting modules");
            List<String> wanted = kernel.kernelConfig().modulesToLoad();
            GuestTrees.Modules modules = kernel.modules(wanted, busybox, runner);
            var userland = new GuestTrees.Userland(
                    Files.readAllBytes(busybox),
                    GuestTrees.parseAppletList(runner.run(List.of(busybox.toString(), "--list-full"), TOOL_TIMEOUT)
                            .stdout()));

            progress.report(0.6, "writing the initramfs images");
            Files.copy(kernel.vmlinuz(), tmp.resolve("vmlinuz"));
            Files.write(tmp.resolve("initrd.img"), NewcArchive.writeGzip(GuestTrees.tinyInitramfs(userland, modules)));
            Files.write(
                    tmp.resolve("disk-initrd.img"), NewcArchive.writeGzip(GuestTrees.diskInitramfs(userland, modules)));

            progress.report(0.7, "making the ext4 root file system");
            Path rootDir = work.resolve("rootfs");
            Files.createDirectories(rootDir);
            GuestTrees.rootFs(userland).materialise(rootDir);
            Path raw = work.resolve("root.raw");
            runner.run(mke2fsArgs(tool("mke2fs"), rootDir, raw, ROOT_DISK_SIZE), TOOL_TIMEOUT);
            progress.report(0.85, "converting the root disk to qcow2");
            runner.run(
                    List.of(
                            tool("qemu-img"),
                            "convert",
                            "-q",
                            "-f",
                            "raw",
                            "-O",
                            "qcow2",
                            raw.toString(),
                            tmp.resolve("root.qcow2").toString()),
                    TOOL_TIMEOUT);

            var info = new BuildInfo(
                    resources,
                    kernelDeb.name(),
                    kernelDeb.version(),
                    kernel.release(),
                    busyboxDeb.version(),
                    modules.files().stream().map(GuestTrees.ModuleFile::path).toList(),
                    GuestTrees.CMDLINE,
                    GuestTrees.READY_MARKER,
                    Instant.now());
            AtomicFiles.deleteTree(work);
            AtomicFiles.write(tmp.resolve("build.json"), Json.pretty(info) + "\n");
            progress.report(0.95, "moving the image into " + target);
            replace(tmp, target);
            progress.report(1.0, "built the tiny image with kernel " + kernel.release());
            return image(target, info);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }

    /**
     * mke2fs copies the staged tree in ({@code -d}), so no loop mount is needed. Inode tables and journal are
     * written now instead of lazily by the guest's kernel, which would otherwise keep a fresh guest's disk busy.
     */
    static List<String> mke2fsArgs(String mke2fs, Path rootDir, Path image, String size) {
        return List.of(
                mke2fs,
                "-q",
                "-F",
                "-t",
                "ext4",
                "-d",
                rootDir.toString(),
                "-L",
                "vessel-root",
                "-m",
                "0",
                "-E",
                "lazy_itable_init=0,lazy_journal_init=0,root_owner=0:0",
                image.toString(),
                size);
    }

    /** Swaps the finished build in. Two renames: a crash between them leaves the old image in a ".old-" sibling. */
    private static void replace(Path built, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(built, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            AtomicFiles.deleteTree(old);
        }
    }

    private static TinyImage image(Path target, BuildInfo info) {
        return new TinyImage(
                target.resolve("vmlinuz"),
                target.resolve("initrd.img"),
                target.resolve("disk-initrd.img"),
                target.resolve("root.qcow2"),
                info.cmdline(),
                info.readyMarker());
    }

    private static boolean complete(Path target) {
        return List.of("vmlinuz", "initrd.img", "disk-initrd.img", "root.qcow2").stream()
                .allMatch(f -> Files.isRegularFile(target.resolve(f)));
    }

    private static Optional<BuildInfo> readInfo(Path target) {
        Path file = target.resolve("build.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.readStored(Files.readString(file), BuildInfo.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable or from another format: treat as absent and rebuild
        }
    }

    /** The hash of everything in the image that comes from this code rather than from the packages. */
    static String resourcesHash() {
        try {
            var md = MessageDigest.getInstance("SHA-256");
            md.update((FORMAT + "\n" + ROOT_DISK_SIZE + "\n" + GuestTrees.CMDLINE + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (String name : GuestTrees.RESOURCE_NAMES) {
                md.update((name + "\n").getBytes(StandardCharsets.UTF_8));
                md.update(GuestTrees.resource(name).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** e2fsprogs lives in /usr/sbin or /sbin, which a daemon's PATH does not always include. */
    static String tool(String name) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return name;
    }
}
