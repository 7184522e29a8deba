package dev.vessel.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    private static AuditLog.Entry entry(int i, String user) {
        return new AuditLog.Entry(
                Instant.parse("2026-12-02T10:00:00Z").plusSeconds(i),
                user,
                "token",
                "10.0.0.1",
                "POST",
                "/api/v1/instances/vm" + i + "/start",
                i % 2 == 0 ? null : "dev",
                202,
                "t" + i,
                null);
    }

    @Test
    void itIsBoundedByRotationAndReadsBackNewestLastAcrossFiles() throws Exception {
        var log = new AuditLog(dir.resolve("audit.log"), 4096, 3);
        for (int i = 0; i < 200; i++) {
            log.record(entry(i, i % 2 == 0 ? "alice" : "bob!ci"));
        }
        long total = 0;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                assertThat(p.getFileName().toString()).matches("audit\\.log(\\.[12])?");
                assertThat(Files.size(p)).isLessThanOrEqualTo(4096);
                total += Files.size(p);
            }
        }
        assertThat(total).isLessThanOrEqualTo(3 * 4096);
        var all = log.read(null, null, 1000);
        assertThat(all).isNotEmpty();
        assertThat(all.getLast().task()).isEqualTo("t199");
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).time()).isAfter(all.get(i - 1).time());
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("audit.log")).toString())
                .isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }

    @Test
    void filtersByUserTheUsersTokensAndTime() {
        var log = new AuditLog(dir.resolve("audit.log"), 1 << 20, 2);
        for (int i = 0; i < 10; i++) {
            log.record(entry(i, i < 5 ? "alice" : "bob!ci"));
        }
        assertThat(log.read("bob", null, 100)).hasSize(5).allMatch(e -> e.user().equals("bob!ci"));
        assertThat(log.read("alice", Instant.parse("2026-12-02T10:00:03Z"), 100))
                .extracting(AuditLog.Entry::task)
                .containsExactly("t3", "t4");
        assertThat(log.read(null, null, 2)).extracting(AuditLog.Entry::task).containsExactly("t8", "t9");
    }

    @Test
    void aTornLineIsSkippedNotFatal() throws Exception {
        var log = new AuditLog(dir.resolve("audit.log"), 1 << 20, 2);
        log.record(entry(1, "alice"));
        Files.writeString(dir.resolve("audit.log"), "{\"time\":\"2026-12", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("audit.log"), "\n", java.nio.file.StandardOpenOption.APPEND);
        log.record(entry(2, "alice"));
        assertThat(log.read(null, null, 10)).extracting(AuditLog.Entry::task).containsExactly("t1", "t2");
    }
}
