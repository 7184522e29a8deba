package dev.vessel.storage.backup;

import com.github.luben.zstd.ZstdInputStream;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads backup archives: the header alone (for listings), a full verification, or an extraction that checks every
 * byte against the manifest. Member names only select members; they never become paths.
 */
public final class BackupReader {
    private static final int MAX_JSON = 16 << 20;
    private static final int CHUNK = 1 << 20;

    private BackupReader() {}

    /** The first member. Fails if the file is not a Vessel backup. */
    public static BackupHeader header(Path archive) {
        try (var tar = open(archive)) {
            TarArchiveEntry e = tar.getNextEntry();
            if (e == null || !e.getName().equals(BackupHeader.NAME) || e.getSize() > MAX_JSON) {
                throw notBackup(archive, "it does not start with " + BackupHeader.NAME);
            }
            BackupHeader h =
                    Json.readStored(new String(tar.readAllBytes(), StandardCharsets.UTF_8), BackupHeader.class);
            if (h.format() != BackupHeader.FORMAT) {
                throw notBackup(archive, "it has format " + h.format() + ", this Vessel reads " + BackupHeader.FORMAT);
            }
            return h;
        } catch (IOException | IllegalStateException e) {
            throw notBackup(archive, e.getMessage());
        }
    }

    /** The last member, found by skipping over the others (cheap: no data is read). */
    public static BackupManifest manifest(Path archive) {
        try (var tar = open(archive)) {
            BackupManifest found = null;
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                found = null;
                if (e.getName().equals(BackupManifest.NAME) && e.getSize() <= MAX_JSON) {
                    found = Json.readStored(
                            new String(tar.readAllBytes(), StandardCharsets.UTF_8), BackupManifest.class);
                }
            }
            if (found == null) {
                throw notBackup(archive, "it does not end with " + BackupManifest.NAME + " (an interrupted backup?)");
            }
            return found;
        } catch (IOException | IllegalStateException e) {
            throw notBackup(archive, e.getMessage());
        }
    }

    /** What verification found; {@code problems} is empty for a sound archive. */
    public record Report(BackupHeader header, BackupManifest manifest, long bytesChecked, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Reads every byte: member checksums, then each disk decompressed against its raw checksum. */
    public static Report verify(Path archive, LongConsumer progress) {
        return walk(archive, Map.of(), progress);
    }

    /**
     * Writes the members named in {@code targets} to their paths (disks decompressed), checking everything as
     * {@link #verify} does. On any problem it throws, and the caller removes what it asked to be written.
     */
    public static Report extract(Path archive, Map<String, Path> targets, LongConsumer progress) {
        Report r = walk(archive, targets, progress);
        if (!r.ok()) {
            throw VesselException.invalid("archive", archive + " is damaged: " + String.join("; ", r.problems()));
        }
        return r;
    }

    private static Report walk(Path archive, Map<String, Path> targets, LongConsumer progress) {
        BackupHeader header = header(archive);
        BackupManifest manifest = manifest(archive);
        var problems = new ArrayList<String>();
        Map<String, BackupManifest.Member> expected = new HashMap<>();
        manifest.members().forEach(m -> expected.put(m.name(), m));
        Map<String, BackupManifest.Disk> disks = new HashMap<>();
        manifest.disks().forEach(d -> disks.put(d.member(), d));
        long[] done = {0};
        try (var tar = open(archive)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String name = e.getName();
                if (name.equals(BackupManifest.NAME)) {
                    continue;
                }
                BackupManifest.Member m = expected.remove(name);
                if (m == null) {
                    problems.add("member " + name + " is not in the manifest");
                    continue;
                }
                var stored = new DigestInputStream(tar, BackupWriter.sha256());
                BackupManifest.Disk disk = disks.get(name);
                Path target = targets.get(name);
                if (disk != null) {
                    checkDisk(name, stored, disk, target, problems, n -> progress.accept(done[0] + n));
                } else {
                    copy(stored, target);
                }
                stored.transferTo(java.io.OutputStream.nullOutputStream());
                String got = BackupWriter.hex(stored.getMessageDigest().digest());
                if (e.getSize() != m.size() || !got.equals(m.sha256())) {
                    problems.add("member " + name + " has SHA-256 " + got + " (" + e.getSize()
                            + " bytes), the manifest says " + m.sha256() + " (" + m.size() + " bytes)");
                }
                done[0] += disk != null ? disk.rawSize() : e.getSize();
            }
        } catch (IOException e) {
            problems.add("cannot read: " + e.getMessage());
        }
        expected.keySet().forEach(n -> problems.add("member " + n + " is missing"));
        if (header.disks().size() != manifest.disks().size()) {
            problems.add("the header lists " + header.disks().size() + " disks, the manifest "
                    + manifest.disks().size());
        }
        return new Report(header, manifest, done[0], List.copyOf(problems));
    }

    private static void checkDisk(
            String name,
            InputStream stored,
            BackupManifest.Disk disk,
            Path target,
            List<String> problems,
            LongConsumer progress)
            throws IOException {
        MessageDigest raw = BackupWriter.sha256();
        long n = 0;
        FileChannel out = target == null
                ? null
                : FileChannel.open(
                        target,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
        try (var z = new ZstdInputStream(new NonClosing(stored))) {
            byte[] b = new byte[CHUNK];
            int r;
            while ((r = z.read(b)) >= 0) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IOException("cancelled");
                }
                raw.update(b, 0, r);
                if (out != null) {
                    TarMembers.write(out, ByteBuffer.wrap(b, 0, r), n);
                }
                n += r;
                progress.accept(n);
            }
            if (out != null) {
                out.force(true);
            }
        } catch (IOException e) {
            problems.add("disk " + name + " does not decompress: " + e.getMessage());
            return;
        } finally {
            if (out != null) {
                out.close();
            }
        }
        String got = BackupWriter.hex(raw.digest());
        if (n != disk.rawSize() || !got.equals(disk.rawSha256())) {
            problems.add("disk " + name + " decompresses to SHA-256 " + got + " (" + n + " bytes), the manifest says "
                    + disk.rawSha256() + " (" + disk.rawSize() + " bytes)");
        }
    }

    private static void copy(InputStream in, Path target) throws IOException {
        if (target == null) {
            return;
        }
        try (var out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
    }

    private static TarArchiveInputStream open(Path archive) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw VesselException.notFound("backup", archive.toString());
        }
        return new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(archive), CHUNK));
    }

    private static VesselException notBackup(Path archive, String why) {
        return VesselException.invalid("archive", archive + " is not a Vessel backup: " + why);
    }

    /** Keeps zstd from closing the tar stream under it. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the tar stream moves on to the next member
        }
    }
}
