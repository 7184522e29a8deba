package dev.vessel.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The files behind snapshots of a container's writable layer: each snapshot is a full copy of the layer (the overlay's
 * upper dir, or the copied root in copy mode) in {@code <state>/snapshots/<tag>}, made by {@code cp -a
 * --reflink=auto}, which keeps what overlayfs stores in the upper dir — whiteouts (0/0 character devices), opaque dirs
 * and redirects ({@code trusted.overlay.*} xattrs, copied because the daemon is root), other xattrs, owners, modes,
 * hardlinks, symlinks and holes — and shares blocks where the file system can (btrfs, xfs). Every step is made so that
 * a crash leaves either the old state or the new one, and {@link #settleRollback} can tell which.
 */
public final class LayerCopies {
    private static final Duration COPY_TIMEOUT = Duration.ofHours(2);

    private final ProcessRunner proc;

    public LayerCopies(ProcessRunner proc) {
        this.proc = proc;
    }

    /** The directory that is the container's writable layer in this mode. */
    public static Path layer(ContainerPaths p, String mode) {
        return WritableLayer.OVERLAY.equals(mode) ? p.upper() : p.rootfs();
    }

    public static Path snapshotsDir(ContainerPaths p) {
        return p.stateDir().resolve("snapshots");
    }

    public static Path snapshot(ContainerPaths p, String tag) {
        return snapshotsDir(p).resolve(tag);
    }

    static Path partial(ContainerPaths p, String tag) {
        return snapshotsDir(p).resolve(".partial-" + tag);
    }

    static Path trash(ContainerPaths p, String tag) {
        return snapshotsDir(p).resolve(".trash-" + tag);
    }

    static Path incoming(ContainerPaths p) {
        return p.stateDir().resolve("layer.incoming");
    }

    static Path outgoing(ContainerPaths p) {
        return p.stateDir().resolve("layer.outgoing");
    }

    /** Copies the layer as it is now to a partial snapshot; {@link #commit} puts it in place. */
    public void copyOut(ContainerPaths p, String mode, String tag) {
        Path to = partial(p, tag);
        AtomicFiles.deleteTree(to);
        try {
            Files.createDirectories(snapshotsDir(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + snapshotsDir(p), e);
        }
        copy(layer(p, mode), to);
    }

    public void commit(ContainerPaths p, String tag) {
        move(partial(p, tag), snapshot(p, tag));
    }

    /** Removes what an unfinished {@link #copyOut} or an uncommitted snapshot left. Repeatable. */
    public void discard(ContainerPaths p, String tag) {
        AtomicFiles.deleteTree(partial(p, tag));
        AtomicFiles.deleteTree(snapshot(p, tag));
    }

    /**
     * Makes the layer the snapshot's copy: the copy is made beside the layer first (the layer is untouched until it is
     * complete), then two renames swap them. The old layer stays as {@code layer.outgoing} until {@link #cleanUp}, so
     * that the caller can record the new state first. The container must not run.
     */
    public void restore(ContainerPaths p, String mode, String tag) {
        Path from = snapshot(p, tag);
        if (!Files.isDirectory(from)) {
            throw VesselException.state("the files of snapshot '" + tag + "' are missing (" + from + ")");
        }
        AtomicFiles.deleteTree(incoming(p));
        AtomicFiles.deleteTree(outgoing(p));
        copy(from, incoming(p));
        swap(p, mode);
    }

    /** What a rollback interrupted by a crash comes to; see {@link #settleRollback}. */
    public enum Settled {
        FINISHED,
        UNDONE
    }

    /**
     * Settles a rollback a crash interrupted. Until the old layer was renamed away the copy may be partial, so it is
     * dropped and the layer stays as it was; after that the copy was complete and the swap is finished. The caller
     * records the outcome, then calls {@link #cleanUp}.
     */
    public Settled settleRollback(ContainerPaths p, String mode) {
        if (Files.exists(layer(p, mode)) && !Files.exists(outgoing(p))) {
            AtomicFiles.deleteTree(incoming(p));
            return Settled.UNDONE;
        }
        swap(p, mode);
        return Settled.FINISHED;
    }

    private void swap(ContainerPaths p, String mode) {
        Path layer = layer(p, mode);
        if (Files.exists(incoming(p))) {
            if (Files.exists(layer)) {
                move(layer, outgoing(p));
            }
            move(incoming(p), layer);
        }
    }

    /** Deletes the old layer a rollback swapped out, and overlayfs' scratch state that belonged to it. Repeatable. */
    public void cleanUp(ContainerPaths p, String mode) {
        AtomicFiles.deleteTree(outgoing(p));
        if (WritableLayer.OVERLAY.equals(mode)) {
            AtomicFiles.deleteTree(p.work());
            try {
                Files.createDirectories(p.work());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + p.work(), e);
            }
        }
    }

    /** Removes a snapshot's copy: renamed away first, so a crash never leaves half a snapshot under its name. */
    public void delete(ContainerPaths p, String tag) {
        if (Files.exists(snapshot(p, tag))) {
            AtomicFiles.deleteTree(trash(p, tag));
            move(snapshot(p, tag), trash(p, tag));
        }
        AtomicFiles.deleteTree(trash(p, tag));
    }

    /** The bytes a snapshot's copy holds (regular files' sizes; holes and shared blocks counted as data). */
    public static long size(ContainerPaths p, String tag) {
        return dev.vessel.host.Trees.bytes(snapshot(p, tag));
    }

    private void copy(Path from, Path to) {
        var r = proc.exec(
                List.of("cp", "-a", "--reflink=auto", "--no-target-directory", from.toString(), to.toString()),
                COPY_TIMEOUT,
                null,
                null);
        if (!r.ok()) {
            AtomicFiles.deleteTree(to);
            throw VesselException.host(
                    "cannot copy " + from + " to " + to + ": " + r.stderr().strip(), null);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
        }
    }
}
