package dev.vessel.qemu.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an {@link FsTree} as a gzip-compressed cpio "newc" archive, the format the kernel unpacks as initramfs.
 * Written here rather than by piping to {@code cpio -H newc -o} because only this way can the archive hold
 * {@code /dev/console} and root-owned files without running as root, and the output is byte-for-byte reproducible
 * (fixed mtime, inode numbers in path order).
 */
public final class NewcArchive {
    static final String MAGIC = "070701";
    static final String TRAILER = "TRAILER!!!";
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;

    private NewcArchive() {}

    /** The uncompressed archive. */
    public static byte[] write(FsTree tree) {
        var out = new ByteArrayOutputStream();
        try {
            write(tree, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The archive compressed with gzip, ready to be passed to {@code -initrd}. */
    public static byte[] writeGzip(FsTree tree) {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out, 1 << 16)) {
            write(tree, gz);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void write(FsTree tree, OutputStream out) throws IOException {
        var counter = new CountingStream(out);
        int ino = 1;
        for (FsTree.Entry e : tree.entries()) {
            byte[] data;
            int type;
            int rdevMajor = 0;
            int rdevMinor = 0;
            int nlink = 1;
            switch (e.node()) {
                case FsTree.Dir d -> {
                    type = S_IFDIR;
                    data = new byte[0];
                    nlink = 2;
                }
                case FsTree.RegularFile f -> {
                    type = S_IFREG;
                    data = f.content();
                }
                case FsTree.Symlink s -> {
                    type = S_IFLNK;
                    data = s.target().getBytes(StandardCharsets.UTF_8);
                }
                case FsTree.CharDevice c -> {
                    type = S_IFCHR;
                    data = new byte[0];
                    rdevMajor = c.major();
                    rdevMinor = c.minor();
                }
            }
            entry(counter, e.path(), ino++, type | (e.node().mode() & 07777), nlink, data, rdevMajor, rdevMinor);
        }
        entry(counter, TRAILER, 0, 0, 1, new byte[0], 0, 0);
    }

    private static void entry(
            CountingStream out, String name, int ino, int mode, int nlink, byte[] data, int rdevMajor, int rdevMinor)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        var h = new StringBuilder(110).append(MAGIC);
        hex(h, ino);
        hex(h, mode);
        hex(h, 0); // uid: everything in the guest belongs to root
        hex(h, 0); // gid
        hex(h, nlink);
        hex(h, 0); // mtime: fixed, so the same inputs give the same archive
        hex(h, data.length);
        hex(h, 0); // devmajor
        hex(h, 0); // devminor
        hex(h, rdevMajor);
        hex(h, rdevMinor);
        hex(h, nameBytes.length + 1);
        hex(h, 0); // check: only used by the "crc" variant
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(nameBytes);
        out.write(0);
        out.pad();
        out.write(data);
        out.pad();
    }

    private static void hex(StringBuilder h, int value) {
        h.append(String.format("%08x", value));
    }

    /** Tracks the offset so headers and data can be padded to the 4-byte boundaries newc requires. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        private long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        void pad() throws IOException {
            while (count % 4 != 0) {
                write(0);
            }
        }
    }
}
