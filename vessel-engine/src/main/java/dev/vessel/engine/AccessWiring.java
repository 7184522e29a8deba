package dev.vessel.engine;

import dev.vessel.access.AccessService;
import dev.vessel.access.AuditLog;
import dev.vessel.access.FileAccessStore;
import dev.vessel.access.LoginThrottle;
import dev.vessel.access.PasswordHasher;
import dev.vessel.access.Tickets;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/** Access's parts on one node: the state file, the ticket key and the audit log, all under {@code data/access}. */
final class AccessWiring {
    /** The audit log rotates at 8 MiB and keeps four files. */
    static final long AUDIT_BYTES = 8L << 20;

    static final int AUDIT_FILES = 4;

    private AccessWiring() {}

    static AccessService service(Path dir, Clock clock) {
        return new AccessService(
                new FileAccessStore(dir.resolve("access.json")),
                new PasswordHasher(),
                new Tickets(ticketKey(dir.resolve("ticket.key")), clock),
                new LoginThrottle(clock),
                clock);
    }

    static AuditLog audit(Path dir) {
        return new AuditLog(dir.resolve("audit.log"), AUDIT_BYTES, AUDIT_FILES);
    }

    /** The key tickets are signed with: 32 random bytes, made once, root's only. A new key logs everybody out. */
    static byte[] ticketKey(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] k = new byte[32];
                new SecureRandom().nextBytes(k);
                Files.createDirectories(file.getParent());
                Files.setPosixFilePermissions(
                        file.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                AtomicFiles.writePrivate(file, HexFormat.of().formatHex(k) + "\n");
            }
            byte[] k = HexFormat.of().parseHex(Files.readString(file).strip());
            if (k.length < 32) {
                throw VesselException.host(
                        "the ticket key " + file + " is shorter than 32 bytes; remove it to make a new one", null);
            }
            return k;
        } catch (IOException | IllegalArgumentException e) {
            throw VesselException.host("cannot read the ticket key " + file + ": " + e.getMessage(), e);
        }
    }
}
