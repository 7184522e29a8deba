package dev.vessel.qemu.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A guest file tree described in memory, so the same description can become a newc archive (initramfs) or a real
 * directory (the source of {@code mke2fs -d}). Building it in memory means no root, no mknod and no half-written
 * staging tree on the host for the initramfs. Paths are absolute guest paths ("/bin/sh"); parents are added as
 * directories automatically.
 */
public final class FsTree {
    /** One node of the tree. Modes are permission bits only (e.g. 0755); the kind is the record type. */
    public sealed interface Node permits Dir, RegularFile, Symlink, CharDevice {
        int mode();
    }

    public record Dir(int mode) implements Node {}

    public record RegularFile(int mode, byte[] content) implements Node {}

    public record Symlink(String target) implements Node {
        @Override
        public int mode() {
            return 0777;
        }
    }

    public record CharDevice(int mode, int major, int minor) implements Node {}

    /** One path and its node. */
    public record Entry(String path, Node node) {}

    // Sorted by path, so a parent always precedes its children: newc readers and the kernel need that order.
    private final TreeMap<String, Node> nodes = new TreeMap<>();

    public FsTree dir(String path, int mode) {
        put(path, new Dir(mode));
        return this;
    }

    public FsTree file(String path, int mode, byte[] content) {
        put(path, new RegularFile(mode, content.clone()));
        return this;
    }

    public FsTree file(String path, int mode, String content) {
        return file(path, mode, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public FsTree symlink(String path, String target) {
        put(path, new Symlink(target));
        return this;
    }

    public FsTree charDevice(String path, int mode, int major, int minor) {
        put(path, new CharDevice(mode, major, minor));
        return this;
    }

    public boolean contains(String path) {
        return nodes.containsKey(normalise(path));
    }

    public Node get(String path) {
        return nodes.get(normalise(path));
    }

    /** Entries in archive order (parents first), paths without the leading slash as cpio expects. */
    public List<Entry> entries() {
        var out = new ArrayList<Entry>(nodes.size());
        nodes.forEach((p, n) -> out.add(new Entry(p, n)));
        return out;
    }

    private void put(String path, Node node) {
        String p = normalise(path);
        if (p.isEmpty()) {
            throw new IllegalArgumentException("the root itself cannot be an entry");
        }
        int slash = p.lastIndexOf('/');
        if (slash > 0) {
            String parent = p.substring(0, slash);
            Node existing = nodes.get(parent);
            if (existing == null) {
                put(parent, new Dir(0755));
            } else if (!(existing instanceof Dir)) {
                throw new IllegalArgumentException(parent + " is not a directory");
            }
        }
        Node old = nodes.get(p);
        if (old != null && !(old instanceof Dir && node instanceof Dir)) {
            throw new IllegalArgumentException(p + " is already in the tree");
        }
        nodes.put(p, node); // for a directory seen before, the explicit mode wins over the implicit 0755
    }

    static String normalise(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.contains("//") || p.equals("..") || p.startsWith("../") || p.contains("/../") || p.endsWith("/..")) {
            throw new IllegalArgumentException("unsafe guest path: " + path);
        }
        return p;
    }

    /**
     * Writes the tree under {@code root} (which must exist). Device nodes are skipped: creating them needs root, and
     * the guest mounts devtmpfs over /dev anyway.
     */
    public void materialise(Path root) {
        try {
            for (Entry e : entries()) {
                Path p = root.resolve(e.path());
                switch (e.node()) {
                    case Dir d -> {
                        Files.createDirectories(p);
                        Files.setPosixFilePermissions(p, permissions(d.mode()));
                    }
                    case RegularFile f -> {
                        Files.write(p, f.content());
                        Files.setPosixFilePermissions(p, permissions(f.mode()));
                    }
                    case Symlink s -> Files.createSymbolicLink(p, Path.of(s.target()));
                    case CharDevice c -> {}
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the guest tree under " + root, e);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        var set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE
        };
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    /** Adds every entry of {@code other}; used to share the busybox userland between the initramfs and the root fs. */
    public FsTree addAll(Collection<Entry> other) {
        for (Entry e : other) {
            put(e.path(), e.node());
        }
        return this;
    }
}
