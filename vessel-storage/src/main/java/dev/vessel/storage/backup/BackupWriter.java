package dev.vessel.storage.backup;

import com.github.luben.zstd.ZstdOutputStream;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Writes a backup archive: a tar of {@code backup.json}, the disks compressed with zstd, small files, and last
 * {@code manifest.json} with every checksum. It is written to {@code <target>.partial} and renamed only once complete
 * and synced, so an interrupted backup never looks like a finished one. Not thread-safe.
 */
public final class BackupWriter implements AutoCloseable {
    /** zstd's default level: about as fast as the disks here can deliver, a good ratio on file systems. */
    static final int LEVEL = 3;

    private static final int CHUNK = 1 << 20;

    private final Path target;
    private final Path partial;
    private final FileChannel ch;
    private final Clock clock;
    private final long started = System.nanoTime();
    private final List<BackupManifest.Member> members = new ArrayList<>();
    private final List<BackupManifest.Disk> disks = new ArrayList<>();
    private long diskBytes;
    private boolean committed;

    private BackupWriter(Path target, Clock clock) throws IOException {
        this.target = target;
        this.partial = partialOf(target);
        this.clock = clock;
        Files.deleteIfExists(partial);
        this.ch = FileChannel.open(
                partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }

    /** Where an archive is written until it is complete; listings skip it, recovery removes it. */
    public static Path partialOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial");
    }

    public static BackupWriter create(Path target, Clock clock) {
        if (Files.exists(target)) {
            throw VesselException.exists("backup", target.toString());
        }
        try {
            Files.createDirectories(target.getParent());
            return new BackupWriter(target, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target, e);
        }
    }

    public void header(BackupHeader header) {
        bytes(BackupHeader.NAME, Json.pretty(header).getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a small file as it is. */
    public void file(String member, Path file) {
        try {
            bytes(member, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void bytes(String member, byte[] data) {
        try {
            long at = TarMembers.begin(ch);
            TarMembers.write(ch, ByteBuffer.wrap(data), ch.size());
            TarMembers.end(ch, at, member, data.length, clock.instant());
            members.add(new BackupManifest.Member(member, data.length, hex(sha256().digest(data))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + partial, e);
        }
    }

    /**
     * Compresses a disk image file into the archive.
     *
     * @param progress told the number of image bytes read so far
     */
    public void disk(String member, Path image, LongConsumer progress) {
        try (var in = FileChannel.open(image, StandardOpenOption.READ)) {
            long at = TarMembers.begin(ch);
            MessageDigest raw = sha256();
            var sink = new ChannelSink(ch);
            long read = 0;
            try (var z = new ZstdOutputStream(sink, LEVEL)) {
                z.setWorkers(Math.max(1, Runtime.getRuntime().availableProcessors()));
                z.setChecksum(true);
                var buf = ByteBuffer.allocate(CHUNK);
                while (in.read(buf.clear()) >= 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IOException("cancelled");
                    }
                    raw.update(buf.array(), 0, buf.position());
                    z.write(buf.array(), 0, buf.position());
                    read += buf.position();
                    progress.accept(read);
                }
            }
            TarMembers.end(ch, at, member, sink.count, clock.instant());
            members.add(new BackupManifest.Member(member, sink.count, hex(sink.digest.digest())));
            disks.add(new BackupManifest.Disk(member, read, hex(raw.digest())));
            diskBytes += read;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + member + " of " + partial + ": " + e.getMessage(), e);
        }
    }

    /** Writes the manifest, syncs, renames into place and returns the archive's size. */
    public BackupManifest commit() {
        try {
            long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
            var manifest = new BackupManifest(
                    BackupHeader.FORMAT,
                    clock.instant(),
                    members,
                    disks,
                    new BackupManifest.Throughput(diskBytes, ch.size(), millis));
            byte[] json = Json.pretty(manifest).getBytes(StandardCharsets.UTF_8);
            long at = TarMembers.begin(ch);
            TarMembers.write(ch, ByteBuffer.wrap(json), ch.size());
            TarMembers.end(ch, at, BackupManifest.NAME, json.length, clock.instant());
            TarMembers.finish(ch);
            ch.force(true);
            ch.close();
            if (Files.exists(target)) {
                throw VesselException.exists("backup", target.toString());
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + target, e);
        }
    }

    /** Without a commit, drops the partial archive. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            ch.close();
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + partial, e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Appends to the archive, counting and hashing what goes in. */
    private static final class ChannelSink extends OutputStream {
        private final FileChannel ch;
        final MessageDigest digest = sha256();
        long count;

        ChannelSink(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            TarMembers.write(ch, ByteBuffer.wrap(b, off, len), ch.size());
            digest.update(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the archive channel stays open for the next member
        }
    }
}
