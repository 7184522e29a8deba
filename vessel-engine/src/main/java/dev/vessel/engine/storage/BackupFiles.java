package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.storage.backup.BackupHeader;
import dev.vessel.storage.backup.BackupReader;
import dev.vessel.storage.backup.BackupWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Where backup archives are: named in a pool's backups directory, or given as absolute paths; and listing them. */
public final class BackupFiles {
    public static final String SUFFIX = ".vessel.tar";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Pools pools;

    public BackupFiles(Pools pools) {
        this.pools = pools;
    }

    /** A listing row: the archive and what its header says. */

    /** The archive for a new backup: {@code to} if given (absolute, not there yet), else a new name in the pool. */
    public Path target(String to, String pool, String vmName, Instant now) {
        if (to != null && pool != null) {
            throw VesselException.invalid("to", "give either to (a file) or pool, not both");
        }
        if (to != null) {
            Path p = absolute("to", to);
            if (Files.exists(p)) {
                throw VesselException.exists("file", p.toString());
            }
            if (!Files.isDirectory(p.getParent())) {
                throw VesselException.invalid("to", p.getParent() + " is not a directory");
            }
            return p;
        }
        Path dir = pools.get(pool)
                .backupsDir()
                .orElseThrow(() -> VesselException.invalid("pool", "pool '" + pool + "' cannot keep backup files"));
        return dir.resolve(vmName + "-" + STAMP.format(now) + SUFFIX);
    }

    /** An existing archive: an absolute path, or a file name in any pool's backups directory. */
    public Path resolve(String archive) {
        if (archive == null || archive.isEmpty()) {
            throw VesselException.invalid(
                    "archive", "an archive (a path, or a name from `vessel backup ls`) is required");
        }
        if (archive.startsWith("/")) {
            Path p = absolute("archive", archive);
            if (!Files.isRegularFile(p)) {
                throw VesselException.notFound("backup", archive);
            }
            return p;
        }
        if (archive.contains("/") || archive.startsWith(".")) {
            throw VesselException.invalid(
                    "archive", "'" + archive + "' is neither an absolute path nor an archive name");
        }
        for (Path dir : pools.backupDirs()) {
            Path p = dir.resolve(archive);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw VesselException.notFound("backup", archive);
    }

    public List<dev.vessel.model.BackupSummary> list(String pool) {
        var out = new ArrayList<dev.vessel.model.BackupSummary>();
        for (var p : pool == null ? pools.all() : List.of(pools.get(pool))) {
            var dir = p.backupsDir();
            if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
                continue;
            }
            try (var files = Files.list(dir.get())) {
                for (Path f : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                    if (!Files.isRegularFile(f) || f.getFileName().toString().endsWith(".partial")) {
                        continue;
                    }
                    try {
                        BackupHeader h = BackupReader.header(f);
                        out.add(new dev.vessel.model.BackupSummary(
                                f.getFileName().toString(),
                                p.name(),
                                h.vmName(),
                                h.createdAt(),
                                h.live(),
                                h.disks().size(),
                                Files.size(f)));
                    } catch (VesselException e) {
                        // not a backup (or not readable): not listed
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir.get(), e);
            }
        }
        return out;
    }

    static Path partial(Path archive) {
        return BackupWriter.partialOf(archive);
    }

    private static Path absolute(String field, String s) {
        if (s.indexOf('\0') >= 0 || !s.startsWith("/") || s.length() > 4096) {
            throw VesselException.invalid(field, "'" + s + "' must be an absolute path");
        }
        return Path.of(s).normalize();
    }
}
