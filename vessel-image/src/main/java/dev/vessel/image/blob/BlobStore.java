package dev.vessel.image.blob;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Content-addressed blobs under {@code DIR/<hex>} (DIR is {@code ROOT/blobs/sha256}). A blob only ever appears at
 * its final name by an atomic rename of a fully written, fsynced and verified temp file, so a reader never sees a
 * partial or wrong blob, and a crash leaves at worst a stray temp file that garbage collection removes.
 */
public final class BlobStore {
    private final Path dir;

    /** The result of {@link #write}: a verified temp file, not yet in the store. */
    public record Written(Digest digest, long size, Path file) {}

    public BlobStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    public Path path(Digest d) {
        return dir.resolve(d.hex());
    }

    public boolean contains(Digest d) {
        return Files.isRegularFile(path(d));
    }

    public InputStream open(Digest d) {
        try {
            return Files.newInputStream(path(d));
        } catch (NoSuchFileException e) {
            throw VesselException.notFound("blob", d.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + d, e);
        }
    }

    public byte[] read(Digest d) {
        try (InputStream in = open(d)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + d, e);
        }
    }

    public Set<Digest> list() {
        Set<Digest> out = new HashSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[a-f0-9]{64}"))
                    .forEach(n -> out.add(Digest.sha256Hex(n)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /** Deletes a blob; returns the bytes freed (0 if it was not there). */
    public long delete(Digest d) {
        Path p = path(d);
        try {
            long size = Files.size(p);
            Files.delete(p);
            return size;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete blob " + d, e);
        }
    }

    /** Moves a verified temp file into place. Another writer may have stored the same content first: then ours goes. */
    public void adopt(Written w) {
        Path target = path(w.digest());
        try {
            if (Files.exists(target)) {
                Files.deleteIfExists(w.file());
                return;
            }
            Files.move(w.file(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException sameContentStoredMeanwhile) {
            // Content-addressed: whoever stored it first stored the very same bytes, so ours is simply surplus.
            deleteQuietly(w.file(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob " + w.digest(), e);
        }
    }

    /**
     * Copies {@code in} into the new file {@code tmp} while hashing it, fsyncs it, and checks it against what the
     * sender promised. On any mismatch the temp file is deleted and nothing is stored.
     *
     * @param expected the digest the content must have, or null to accept whatever it hashes to
     * @param expectedSize the byte count it must have, or -1
     * @param progress told the running byte count every 64 KiB or so
     */
    public static Written write(InputStream in, Path tmp, Digest expected, long expectedSize, LongConsumer progress) {
        MessageDigest md = Digest.sha256();
        long total = 0;
        boolean ok = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = Channels.newOutputStream(ch)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
                out.write(buf, 0, n);
                total += n;
                if (expectedSize >= 0 && total > expectedSize) {
                    throw mismatch(expected, "is larger than the " + expectedSize + " bytes its descriptor announces");
                }
                progress.accept(total);
            }
            ch.force(true);
            Digest actual = Digest.fromHash(md.digest());
            if (expectedSize >= 0 && total != expectedSize) {
                throw mismatch(
                        expected,
                        "has " + total + " bytes but its descriptor announces " + expectedSize
                                + " (truncated download?)");
            }
            if (expected != null && !expected.equals(actual)) {
                throw mismatch(expected, "does not match its digest: the content hashes to " + actual);
            }
            ok = true;
            return new Written(actual, total, tmp);
        } catch (IOException e) {
            throw new VesselException(
                    ProblemType.UNAVAILABLE,
                    "cannot copy blob " + (expected == null ? "" : expected + " ") + "into the store: "
                            + e.getMessage(),
                    Map.of(),
                    e);
        } finally {
            if (!ok) {
                deleteQuietly(tmp, null);
            }
        }
    }

    private static VesselException mismatch(Digest expected, String why) {
        String name = expected == null ? "blob" : "blob " + expected;
        return new VesselException(
                ProblemType.INVALID_INPUT,
                "bad digest: " + name + " " + why,
                expected == null ? Map.of() : Map.of("digest", expected.toString()),
                null);
    }

    private static void deleteQuietly(Path p, Exception context) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Leaving a temp file behind is harmless (GC sweeps tmp/); keep the first error the caller cares about.
            if (context != null) {
                context.addSuppressed(e);
            } else {
                throw new UncheckedIOException("cannot remove temp file " + p, e);
            }
        }
    }
}
