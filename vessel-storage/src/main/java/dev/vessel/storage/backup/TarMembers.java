package dev.vessel.storage.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Writes tar members into a file whose sizes are known only after their data is written: a placeholder header goes
 * first, the data streams after it, and the real header (with star/GNU binary sizes beyond 8 GiB) is written back in
 * place. The data is written once, with no temporary copy. The result is a plain tar that {@code tar -x} reads.
 */
final class TarMembers {
    static final int BLOCK = 512;

    private TarMembers() {}

    /** Reserves a header block at the channel's end and returns where it is. */
    static long begin(FileChannel ch) throws IOException {
        long at = ch.size();
        write(ch, ByteBuffer.allocate(BLOCK), at);
        return at;
    }

    /** Pads the data to a block and writes the real header for {@code size} bytes at {@code headerAt}. */
    static void end(FileChannel ch, long headerAt, String name, long size, Instant mtime) throws IOException {
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        if (pad > 0) {
            write(ch, ByteBuffer.allocate((int) pad), ch.size());
        }
        var entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0100644);
        entry.setModTime(java.util.Date.from(mtime));
        byte[] header = new byte[BLOCK];
        entry.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8), true);
        write(ch, ByteBuffer.wrap(header), headerAt);
    }

    /** The two zero blocks that end a tar. */
    static void finish(FileChannel ch) throws IOException {
        write(ch, ByteBuffer.allocate(2 * BLOCK), ch.size());
    }

    static void write(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }
}
