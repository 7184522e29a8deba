package dev.vessel.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.IdRange;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import dev.vessel.image.OciImageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's own writable layer over its image, which is never changed. Preferably overlayfs: the image's shared,
 * read-only layer dirs are the lower dirs, the container's {@code upper} dir takes every write, and the merged view is
 * mounted on the host at the container's {@code rootfs} while it runs. Where the kernel or the file system does not
 * allow overlayfs (not root, a data dir on NFS or on overlayfs itself), the container gets a private flattened copy
 * of the image instead; the choice is made once at create and shown by inspect.
 */
public final class WritableLayer {
    public static final String OVERLAY = "overlay";
    public static final String COPY = "copy";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** mount(2)'s data is one page, with its terminating NUL. */
    private static final int MOUNT_DATA_MAX = 4095;

    private final OciImageStore images;
    private final ProcessRunner proc;
    private final Path probeDir;
    private volatile String overlayVerdict;
    private final java.util.Map<String, List<Path>> layerDirs = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param probeDir a scratch dir on the same file system as the containers' state, to try overlayfs once */
    public WritableLayer(OciImageStore images, ProcessRunner proc, Path probeDir) {
        this.images = images;
        this.proc = proc;
        this.probeDir = probeDir;
    }

    /** Why overlayfs cannot be used here, or null when it can. Tried once, on first use. */
    public String overlayProblem() {
        String v = overlayVerdict;
        if (v == null) {
            v = probe();
            overlayVerdict = v;
        }
        return v.isEmpty() ? null : v;
    }

    private String probe() {
        Path dir = probeDir.resolve("overlay-probe");
        AtomicFiles.deleteTree(dir);
        try {
            for (String d : List.of("lower", "upper", "work", "merged")) {
                Files.createDirectories(dir.resolve(d));
            }
            var r = proc.exec(
                    List.of(
                            "mount",
                            "-t",
                            "overlay",
                            "overlay",
                            "-o",
                            "lowerdir=lower,upperdir=" + dir.resolve("upper") + ",workdir=" + dir.resolve("work"),
                            dir.resolve("merged").toString()),
                    TIMEOUT,
                    dir,
                    null);
            if (!r.ok()) {
                return "overlayfs cannot be mounted here: " + r.stderr().strip();
            }
            proc.exec(List.of("umount", dir.resolve("merged").toString()), TIMEOUT, null, null);
            return "";
        } catch (IOException e) {
            return "overlayfs cannot be tried: " + e.getMessage();
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }

    /**
     * Makes the layer for a new container: the overlay's dirs, or the flattened copy. Returns the mode used.
     *
     * @param forceCopy the daemon is configured to copy (its {@code container-rootfs} setting)
     */
    public String create(ContainerPaths p, String imageId, boolean forceCopy) {
        return create(p, imageId, forceCopy, null);
    }

    /**
     * As {@link #create(ContainerPaths, String, boolean)}, for a container with a user namespace of its own when
     * {@code ids} is not null: its root must own its files, and the image's shared layers must never be changed, so it
     * always gets a flattened copy of its own, shifted into its ids ({@link IdShift}). An overlay would show the
     * layers' host-root files as unmapped ids (nobody) that its root could not write.
     */
    public String create(ContainerPaths p, String imageId, boolean forceCopy, IdRange ids) {
        try {
            Files.createDirectories(p.stateDir());
            if (!forceCopy && ids == null && overlayProblem() == null) {
                Files.createDirectories(p.upper());
                Files.createDirectories(p.work());
                Files.createDirectories(p.rootfs());
                return OVERLAY;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + p.stateDir(), e);
        }
        images.flatten(imageId, p.rootfs());
        if (ids != null) {
            IdShift.tree(p.rootfs(), ids);
        }
        return COPY;
    }

    /** Mounts the merged view (overlay) before a start; a copy is always there. Idempotent. */
    public void mount(ContainerPaths p, String imageId, String mode) {
        if (!OVERLAY.equals(mode) || mounted(p.rootfs())) {
            return;
        }
        // An image's layers never change (its id is a digest) and stay while a container uses it: looked up once.
        List<Path> layers = layerDirs.computeIfAbsent(imageId, images::layerDirs);
        Path layersRoot = layers.isEmpty() ? p.stateDir() : layers.getFirst().getParent();
        var lower = new ArrayList<String>();
        // overlayfs wants the top layer first; names relative to the layers dir keep the option under a page even
        // for images with dozens of layers (the kernel resolves them against mount's working directory).
        for (int i = layers.size() - 1; i >= 0; i--) {
            lower.add(
                    layers.get(i).getParent().equals(layersRoot)
                            ? layers.get(i).getFileName().toString()
                            : layers.get(i).toString());
        }
        if (lower.isEmpty()) {
            Path empty = p.stateDir().resolve("empty");
            try {
                Files.createDirectories(empty);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lower.add(empty.toString());
        }
        String tail = ",upperdir=" + p.upper() + ",workdir=" + p.work();
        var absolute = new ArrayList<String>();
        for (String l : lower) {
            absolute.add(l.startsWith("/") ? l : layersRoot.resolve(l).toString());
        }
        String direct = "lowerdir=" + String.join(":", absolute) + tail;
        // mount(2) takes at most a page of options: done directly when they fit (no process to start), otherwise by
        // mount(8) run in the layers dir with names relative to it.
        if (direct.length() < MOUNT_DATA_MAX) {
            int r = Native.mount("overlay", p.rootfs().toString(), "overlay", direct);
            if (r < 0) {
                throw VesselException.host(
                        "cannot mount the container's overlay on " + p.rootfs() + ": errno " + -r, null);
            }
            return;
        }
        String opts = "lowerdir=" + String.join(":", lower) + tail;
        var r = proc.exec(
                List.of(
                        "mount",
                        "-t",
                        "overlay",
                        "overlay",
                        "-o",
                        opts,
                        p.rootfs().toString()),
                TIMEOUT,
                layersRoot,
                null);
        if (!r.ok()) {
            throw VesselException.host(
                    "cannot mount the container's overlay on " + p.rootfs() + ": "
                            + r.stderr().strip(),
                    null);
        }
    }

    /** Unmounts the merged view after the container ended; the upper dir keeps what it wrote. Idempotent. */
    public void unmount(ContainerPaths p) {
        if (!mounted(p.rootfs())) {
            return;
        }
        int r = Native.umount(p.rootfs().toString(), 0);
        if (r < 0 && mounted(p.rootfs())) {
            // Something still holds it (a shell in the dir): detach it now, the kernel frees it when released.
            int lazy = Native.umount(p.rootfs().toString(), Native.MNT_DETACH);
            if (lazy < 0 && mounted(p.rootfs())) {
                throw VesselException.host("cannot unmount " + p.rootfs() + ": errno " + -lazy, null);
            }
        }
    }

    /** Whether {@code dir} is a mount point in this mount namespace (from /proc/self/mountinfo). */
    public static boolean mounted(Path dir) {
        String target = dir.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && unescape(f[4]).equals(target)) {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
        return false;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        var sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
