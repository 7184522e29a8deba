package dev.vessel.access;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Every mutating call, one JSON line each: who, from where, what, when, how it ended, and the task it started. The
 * file is root's (0600), appended to, and rotated when it passes {@code maxBytes}: {@code audit.log} becomes
 * {@code audit.log.1} and so on, {@code keep} files in all, so it is bounded at about {@code keep × maxBytes}.
 */
public final class AuditLog {
    /**
     * One call. {@code project} is the project it was for (null: the default one); {@code task} is the id of the task
     * it started, if any; {@code error} the problem's detail.
     */
    public record Entry(
            Instant time,
            String user,
            String method,
            String source,
            String verb,
            String path,
            String project,
            int status,
            String task,
            String error) {}

    private final Path file;
    private final long maxBytes;
    private final int keep;

    public AuditLog(Path file, long maxBytes, int keep) {
        if (keep < 1 || maxBytes < 1024) {
            throw new IllegalArgumentException("an audit log keeps at least one file of at least 1 KiB");
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    public synchronized void record(Entry e) {
        byte[] line = (Json.write(e) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file) && Files.size(file) + line.length > maxBytes) {
                rotate();
            }
            try (var ch = FileChannel.open(
                    file,
                    java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ch.write(java.nio.ByteBuffer.wrap(line));
            }
        } catch (IOException ex) {
            throw VesselException.host("cannot write the audit log " + file + ": " + ex.getMessage(), ex);
        }
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(numbered(keep - 1));
        for (int i = keep - 2; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (keep > 1) {
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(file);
        }
    }

    private Path numbered(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    /**
     * The newest {@code limit} entries, oldest first, of {@code user} (all when null) since {@code since} (all when
     * null). A line that does not parse (a torn write) is skipped.
     */
    public synchronized List<Entry> read(String user, Instant since, int limit) {
        var out = new ArrayDeque<Entry>();
        for (int i = keep - 1; i >= 0; i--) {
            Path f = i == 0 ? file : numbered(i);
            if (!Files.exists(f)) {
                continue;
            }
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    Entry e;
                    try {
                        e = Json.MAPPER.readValue(line, Entry.class);
                    } catch (IOException | RuntimeException bad) {
                        continue;
                    }
                    if ((user == null || user.equals(e.user()) || e.user().startsWith(user + "!"))
                            && (since == null || !e.time().isBefore(since))) {
                        out.addLast(e);
                        if (out.size() > limit) {
                            out.removeFirst();
                        }
                    }
                }
            } catch (IOException ex) {
                throw VesselException.host("cannot read the audit log " + f + ": " + ex.getMessage(), ex);
            }
        }
        return new ArrayList<>(out);
    }
}
