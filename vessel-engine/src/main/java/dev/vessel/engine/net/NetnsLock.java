package dev.vessel.engine.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One Vessel daemon per network namespace manages networks. Two would fight: each rewrites the whole {@code inet
 * vessel} table and reaps the other's bridges as leftovers. The daemon that holds this lock (an fcntl lock on a file
 * named after the namespace's inode, released by the kernel when the process dies, so a SIGKILL never leaves it
 * stale) manages networks; any other runs without them.
 */
public final class NetnsLock implements AutoCloseable {
    static final Path DIR = Path.of("/run/vessel-net");
    /**
     * Lock files this JVM holds. Closing any channel on a locked file drops the process's fcntl lock on it, so a second
     * attempt from this JVM must not even open the file.
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final FileLock lock;
    private final Path file;

    private NetnsLock(FileChannel channel, FileLock lock, Path file) {
        this.channel = channel;
        this.lock = lock;
        this.file = file;
    }

    /** The lock for the namespace {@code netnsId} ("net:[4026531840]"), or empty with the holder's pid if taken. */
    public static Result acquire(String netnsId) {
        return acquire(DIR, netnsId);
    }

    static Result acquire(Path dir, String netnsId) {
        String ino = netnsId.replaceAll("[^0-9]", "");
        Path file = dir.resolve("netns-" + ino + ".lock");
        if (!HELD.add(file)) {
            return new Result(
                    Optional.empty(), Long.toString(ProcessHandle.current().pid()));
        }
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                HELD.remove(file);
                String holder = Files.readString(file).strip();
                ch.close();
                return new Result(Optional.empty(), holder.isEmpty() ? "unknown" : holder);
            }
            ch.truncate(0);
            ch.write(
                    ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)),
                    0);
            return new Result(Optional.of(new NetnsLock(ch, l, file)), null);
        } catch (IOException e) {
            HELD.remove(file);
            throw new UncheckedIOException("cannot take the network lock " + file, e);
        }
    }

    /** @param holderPid who holds it when {@code lock} is empty */
    public record Result(Optional<NetnsLock> lock, String holderPid) {}

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
            HELD.remove(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
