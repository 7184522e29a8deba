package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.GuestShell.bootMarker;
import static dev.vessel.daemon.it.GuestShell.setMarker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.ProcessRunner;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Backups of a tiny-disk guest taken while it writes to its disk, restored as new VMs that boot with the marker of the
 * moment of the backup and a clean file system.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class BackupIT {
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess().start();
        TinyImageSupport.ensure(daemon);
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    /** e2fsck -fn of a stopped VM's root disk (converted to raw): the file system is consistent. */
    static String fsck(String vm) throws Exception {
        Path disk = Path.of(daemon.instance(vm)
                .path("spec")
                .path("boot")
                .path("disks")
                .get(0)
                .path("path")
                .asText());
        Path raw = Files.createTempFile(Path.of("/tmp"), "fsck-", ".raw");
        var proc = new ProcessRunner();
        try {
            proc.run(
                    List.of("qemu-img", "convert", "-U", "-O", "raw", disk.toString(), raw.toString()),
                    Duration.ofMinutes(5));
            var r = proc.exec(List.of("/sbin/e2fsck", "-fn", raw.toString()), Duration.ofMinutes(5), null, null);
            assertThat(r.exitCode()).as("e2fsck: " + r.stdout() + r.stderr()).isZero();
            return r.stdout();
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    @Test
    void aBackupTakenWhileTheGuestWritesRestoresToABootableConsistentDisk() throws Exception {
        GuestShell.createDiskVm(daemon, "busy", "");
        GuestShell.start(daemon, "busy");
        setMarker(daemon, "busy", "at-backup");
        // Keep the disk busy: 4 MiB appended and synced, again and again, while the backup runs.
        GuestShell.run(
                daemon,
                "busy",
                "(while :; do wget -qO- 'http://127.0.0.1/cgi-bin/write?n=4096' >/dev/null; done) >/dev/null 2>&1 &");
        Thread.sleep(3000);
        String before = GuestShell.run(daemon, "busy", "wc -c < /var/lib/churn");
        assertThat(Long.parseLong(before.strip())).isPositive();

        JsonNode t = daemon.okTask("/api/v1/instances/busy/backup", "{}");
        assertThat(t.path("message").asText()).contains("MiB/s").contains("point-in-time copy");
        assertThat(daemon.instance("busy").path("status").asText())
                .as("the guest kept running")
                .isEqualTo("running");
        String after = GuestShell.run(daemon, "busy", "wc -c < /var/lib/churn");
        assertThat(Long.parseLong(after.strip())).as("and kept writing").isGreaterThan(Long.parseLong(before.strip()));

        JsonNode list = daemon.get("/api/v1/backups");
        assertThat(list).hasSize(1);
        String archive = list.get(0).path("archive").asText();
        assertThat(list.get(0).path("vm").asText()).isEqualTo("busy");
        assertThat(list.get(0).path("live").asBoolean()).isTrue();
        assertThat(daemon.okTask("/api/v1/backups/verify", "{\"archive\":\"" + archive + "\"}")
                        .path("message")
                        .asText())
                .contains("sound");

        daemon.okTask("/api/v1/backups/restore", "{\"archive\":\"" + archive + "\",\"name\":\"back\"}");
        JsonNode back = daemon.instance("back");
        assertThat(back.path("id").asText())
                .isNotEqualTo(daemon.instance("busy").path("id").asText());
        assertThat(back.path("spec").path("mac").asText())
                .isNotEqualTo(daemon.instance("busy").path("spec").path("mac").asText());
        GuestShell.start(daemon, "back");
        assertThat(bootMarker(daemon, "back")).isEqualTo("at-backup");
        // Everything up to the backup's instant is there (the journal replays whatever was in flight).
        long restored = Long.parseLong(
                GuestShell.run(daemon, "back", "wc -c < /var/lib/churn").strip());
        assertThat(restored).isGreaterThanOrEqualTo(Long.parseLong(before.strip()));
        GuestShell.stop(daemon, "back");
        assertThat(fsck("back")).contains("vessel-root");

        // The same archive again needs another name.
        assertThat(daemon.post("/api/v1/backups/restore", "{\"archive\":\"" + archive + "\",\"name\":\"back\"}")
                        .status())
                .isEqualTo(409);
        daemon.okTask("/api/v1/instances/busy/kill", null);
    }

    @Test
    void aStoppedVmBacksUpToAFileAndADamagedArchiveIsRefused() throws Exception {
        GuestShell.createDiskVm(daemon, "cold", "");
        GuestShell.start(daemon, "cold");
        setMarker(daemon, "cold", "cold-one");
        GuestShell.stop(daemon, "cold");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "vbk-");
        Path file = dir.resolve("cold.vessel.tar");
        JsonNode t = daemon.okTask("/api/v1/instances/cold/backup", "{\"to\":\"" + file + "\"}");
        assertThat(t.path("message").asText()).contains(file.toString());
        assertThat(Files.exists(file)).isTrue();
        assertThat(daemon.post("/api/v1/instances/cold/backup", "{\"to\":\"" + file + "\"}")
                        .status())
                .as("never overwritten")
                .isEqualTo(409);
        assertThat(daemon.post("/api/v1/instances/cold/backup", "{\"to\":\"relative.tar\"}")
                        .status())
                .isEqualTo(400);

        Path bad = dir.resolve("bad.vessel.tar");
        Files.copy(file, bad);
        try (var f = new RandomAccessFile(bad.toFile(), "rw")) {
            f.seek(Files.size(bad) / 2);
            int b = f.read();
            f.seek(Files.size(bad) / 2);
            f.write(b ^ 0x55);
        }
        JsonNode v = daemon.task("/api/v1/backups/verify", "{\"archive\":\"" + bad + "\"}");
        assertThat(v.path("state").asText()).isEqualTo("failed");
        assertThat(v.path("error").path("detail").asText()).contains("damaged");
        JsonNode r = daemon.task("/api/v1/backups/restore", "{\"archive\":\"" + bad + "\",\"name\":\"broken\"}");
        assertThat(r.path("state").asText()).isEqualTo("failed");
        assertThat(daemon.client().call("GET", "/api/v1/instances/broken", null).status())
                .as("no half VM")
                .isEqualTo(404);
        try (var s = Files.list(daemon.dataDir().resolve("instances"))) {
            assertThat(s.count())
                    .as("no leftover directory")
                    .isEqualTo(daemon.get("/api/v1/instances").size());
        }

        daemon.okTask("/api/v1/backups/restore", "{\"archive\":\"" + file + "\",\"name\":\"warm\"}");
        GuestShell.start(daemon, "warm");
        assertThat(bootMarker(daemon, "warm")).isEqualTo("cold-one");
        GuestShell.stop(daemon, "warm");
        assertThat(daemon.post("/api/v1/backups/verify", "{\"archive\":\"/nonexistent.tar\"}")
                        .status())
                .isEqualTo(404);
        assertThat(daemon.post("/api/v1/backups/restore", "{\"archive\":\"../etc/passwd\"}")
                        .status())
                .isEqualTo(400);
        dev.vessel.host.AtomicFiles.deleteTree(dir);
    }
}
