package dev.vessel.image.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one layer tar into a root directory without ever letting an entry reach outside it.
 *
 * <p>Defences: names are split and refused if absolute or containing {@code ..} ({@link EntryPath}); parent
 * directories are resolved by hand with lstat, so a symlink planted by an earlier entry is never followed by the
 * kernel ({@link RootResolver}); files are created with O_CREAT|O_EXCL after removing whatever was there, so the
 * final component is never a symlink we write through; hardlinks must point at something already unpacked inside
 * the root; device nodes are skipped (and listed) unless {@link ExtractOptions#allowDevices()}.
 *
 * <p>The caller unpacks into a fresh temp dir and renames it into place only on success, so a refused archive leaves
 * the store as it was.
 */
public final class TarApplier {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final String OVERLAY_OPAQUE = "trusted.overlay.opaque";

    private final RootResolver resolver;
    private final ExtractOptions opts;
    private final Metadata meta;
    /** Paths (resolved, relative) this layer created or wrote, and all their ancestors: what an opaque dir keeps. */
    private final Set<String> touched = new HashSet<>();
    /** The device nodes left out, as the archive names them. */
    private final List<String> skipped = new ArrayList<>();

    private TarApplier(Path root, ExtractOptions opts) {
        this.resolver = new RootResolver(root);
        this.opts = opts;
        this.meta = new Metadata(opts.preserveOwnership());
    }

    /**
     * Unpacks the (uncompressed) tar stream {@code tar} into {@code root}. Does not read past the tar's end-of-archive
     * marker and does not close {@code tar}: the caller drains it to finish the diff-id hash.
     *
     * @return the device nodes skipped (their names in the archive), empty if none were
     */
    public static List<String> apply(InputStream tar, Path root, ExtractOptions opts) {
        var a = new TarApplier(root, opts);
        a.run(tar);
        return List.copyOf(a.skipped);
    }

    private void run(InputStream tar) {
        // Not closed on purpose: closing would close the caller's stream before it drains the tail.
        @SuppressWarnings("resource")
        TarArchiveInputStream tin = new TarArchiveInputStream(tar, "UTF-8");
        try {
            TarArchiveEntry e;
            while ((e = tin.getNextEntry()) != null) {
                if (!e.isGlobalPaxHeader()) {
                    entry(e, tin);
                }
            }
        } catch (IOException ex) {
            throw UnsafeArchive.corrupt("layer tar", ex);
        }
        meta.finish();
    }

    private void entry(TarArchiveEntry e, TarArchiveInputStream tin) throws IOException {
        EntryPath path = EntryPath.parse(e.getName());
        if (e.isSparse()) {
            throw UnsafeArchive.entry(e.getName(), "sparse files are not supported");
        }
        if (path.isRoot()) {
            if (!e.isDirectory()) {
                throw UnsafeArchive.entry(e.getName(), "the root of a layer must be a directory");
            }
            meta.deferDir(resolver.root(), e);
            return;
        }
        if (opts.whiteouts() != WhiteoutMode.KEEP && path.name().startsWith(WHITEOUT)) {
            whiteout(e.getName(), path);
            return;
        }
        List<String> parent = resolver.resolveDir(e.getName(), path.parent(), true, this::touch);
        List<String> resolved = new ArrayList<>(parent);
        resolved.add(path.name());
        Path target = resolver.path(resolved);
        touch(resolved);

        if (e.isDirectory()) {
            BasicFileAttributes a = RootResolver.lstat(target);
            if (a == null || !a.isDirectory()) {
                FileTrees.delete(target);
                Files.createDirectory(target);
            }
            meta.deferDir(target, e);
        } else if (e.isSymbolicLink()) {
            if (e.getLinkName().isEmpty()) {
                throw UnsafeArchive.entry(e.getName(), "symlink with an empty target");
            }
            FileTrees.delete(target);
            // The link itself may point anywhere: it is only dangerous when followed, which we never do.
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            meta.apply(target, e, Metadata.Kind.SYMLINK);
        } else if (e.isLink()) {
            hardlink(e, target);
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            if (!e.isFIFO() && !opts.allowDevices()) {
                // Its place stays empty; whatever a lower layer had there is left as it was.
                skipped.add(e.getName() + " (" + SpecialFiles.describe(e) + ")");
                return;
            }
            FileTrees.delete(target);
            SpecialFiles.create(target, e);
            meta.apply(target, e, Metadata.Kind.SPECIAL);
        } else if (e.isFile()) {
            FileTrees.delete(target);
            long copied;
            try (OutputStream out =
                    Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                copied = tin.transferTo(out);
            }
            if (copied != e.getSize()) {
                throw UnsafeArchive.corrupt(
                        "layer tar",
                        new IOException("entry '" + e.getName() + "' has " + copied + " of " + e.getSize() + " bytes"));
            }
            meta.apply(target, e, Metadata.Kind.FILE);
        } else {
            throw UnsafeArchive.entry(e.getName(), "unsupported tar entry type '" + (char) e.getLinkFlag() + "'");
        }
    }

    private void hardlink(TarArchiveEntry e, Path target) throws IOException {
        EntryPath link;
        try {
            link = EntryPath.parse(e.getLinkName());
        } catch (dev.vessel.core.error.VesselException bad) {
            throw UnsafeArchive.entry(e.getName(), "hardlink target '" + e.getLinkName() + "' is not inside the root");
        }
        if (link.isRoot()) {
            throw UnsafeArchive.entry(e.getName(), "hardlink to the root directory");
        }
        List<String> dir = resolver.resolveDir(e.getName(), link.parent(), false, created -> {});
        Path source = dir == null ? null : resolver.path(dir).resolve(link.name());
        BasicFileAttributes a = source == null ? null : RootResolver.lstat(source);
        if (a == null) {
            throw UnsafeArchive.entry(
                    e.getName(), "hardlink target '" + e.getLinkName() + "' does not exist (yet) in the layer");
        }
        if (a.isDirectory()) {
            throw UnsafeArchive.entry(e.getName(), "hardlink target '" + e.getLinkName() + "' is a directory");
        }
        if (source.equals(target)) {
            return;
        }
        FileTrees.delete(target);
        // link(2) does not follow a symlink source on Linux: linking to a symlink copies the link, not its target.
        Files.createLink(target, source);
    }

    private void whiteout(String entry, EntryPath path) throws IOException {
        String name = path.name();
        boolean overlay = opts.whiteouts() == WhiteoutMode.OVERLAY;
        // For overlay the marker lives in this layer's own dir, which may not have the parent yet.
        List<String> dir = resolver.resolveDir(entry, path.parent(), overlay, this::touch);
        if (dir == null) {
            return; // Nothing below to hide.
        }
        if (name.equals(OPAQUE)) {
            if (overlay) {
                LinuxFiles.lsetxattr(resolver.path(dir), OVERLAY_OPAQUE, new byte[] {'y'});
            } else {
                clearLower(dir);
            }
            return;
        }
        if (name.startsWith(OPAQUE.substring(0, 8))) {
            return; // Other ".wh..wh." names are aufs bookkeeping with no meaning here.
        }
        String victim = name.substring(WHITEOUT.length());
        if (victim.isEmpty() || victim.equals(".") || victim.equals("..") || victim.contains("/")) {
            throw UnsafeArchive.entry(entry, "invalid whiteout name");
        }
        List<String> gone = new ArrayList<>(dir);
        gone.add(victim);
        // The spec: a whiteout hides lower layers only, never an entry of its own layer.
        if (touched.contains(String.join("/", gone))) {
            return;
        }
        FileTrees.delete(resolver.path(gone));
        if (overlay) {
            LinuxFiles.mknod(resolver.path(gone), LinuxFiles.S_IFCHR, 0, 0);
        }
    }

    /** Opaque directory: drop everything below it that this layer did not put there. */
    private void clearLower(List<String> dir) {
        List<Path> children;
        try (Stream<Path> s = Files.list(resolver.path(dir))) {
            children = s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + resolver.path(dir), e);
        }
        for (Path child : children) {
            List<String> rel = new ArrayList<>(dir);
            rel.add(child.getFileName().toString());
            if (!touched.contains(String.join("/", rel))) {
                FileTrees.delete(child);
            } else if (Files.isDirectory(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                clearLower(rel);
            }
        }
    }

    private void touch(List<String> resolved) {
        for (int i = 1; i <= resolved.size(); i++) {
            touched.add(String.join("/", resolved.subList(0, i)));
        }
    }
}
