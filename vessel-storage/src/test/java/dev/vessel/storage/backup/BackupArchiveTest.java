package dev.vessel.storage.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The archive format: a plain tar, zstd disks, checksums that catch any damage, and no half archives. */
class BackupArchiveTest {
    private Path dir;
    private byte[] disk0;
    private byte[] disk1;

    @BeforeEach
    void files() throws Exception {
        dir = Files.createTempDirectory("vb-");
        disk0 = new byte[3 << 20];
        new Random(1).nextBytes(disk0);
        disk1 = new byte[5 << 20]; // mostly zeros: compresses well
        disk1[12345] = 42;
        Files.write(dir.resolve("disk0.img"), disk0);
        Files.write(dir.resolve("disk1.img"), disk1);
        Files.writeString(dir.resolve("kernel"), "not really a kernel");
    }

    @AfterEach
    void clean() {
        AtomicFiles.deleteTree(dir);
    }

    private Path write(String name) {
        Path archive = dir.resolve(name);
        var header = new BackupHeader(
                BackupHeader.FORMAT,
                "web",
                "0123456789ab",
                Instant.now(),
                true,
                Json.tree("{\"name\":\"web\"}"),
                List.of(
                        new BackupHeader.DiskEntry(0, "disks/disk0.qcow2.zst", "qcow2", 3 << 20, false, "disk"),
                        new BackupHeader.DiskEntry(1, "disks/disk1.raw.zst", "raw", 5 << 20, false, "disk")),
                List.of(new BackupHeader.FileEntry("kernel", "files/kernel")));
        try (var w = BackupWriter.create(archive, Clock.systemUTC())) {
            w.header(header);
            w.disk("disks/disk0.qcow2.zst", dir.resolve("disk0.img"), n -> {});
            w.disk("disks/disk1.raw.zst", dir.resolve("disk1.img"), n -> {});
            w.file("files/kernel", dir.resolve("kernel"));
            var m = w.commit();
            assertThat(m.throughput().diskBytes()).isEqualTo((3 << 20) + (5 << 20));
            assertThat(m.throughput().archiveBytes())
                    .isLessThan(archive.toFile().length())
                    .isGreaterThan(archive.toFile().length() - 8192);
        }
        return archive;
    }

    @Test
    void roundTripsAndVerifies() throws Exception {
        Path a = write("b.tar");
        assertThat(BackupWriter.partialOf(a)).doesNotExist();
        assertThat(BackupReader.header(a).vmName()).isEqualTo("web");
        var report = BackupReader.verify(a, n -> {});
        assertThat(report.problems()).isEmpty();
        assertThat(report.bytesChecked()).isGreaterThanOrEqualTo((3 << 20) + (5 << 20));
        assertThat(Files.size(a)).as("zeros compress").isLessThan((3 << 20) + (1 << 20));
        var targets = Map.of(
                "disks/disk0.qcow2.zst",
                dir.resolve("out0"),
                "disks/disk1.raw.zst",
                dir.resolve("out1"),
                "files/kernel",
                dir.resolve("outk"));
        BackupReader.extract(a, targets, n -> {});
        assertThat(Files.readAllBytes(dir.resolve("out0"))).isEqualTo(disk0);
        assertThat(Files.readAllBytes(dir.resolve("out1"))).isEqualTo(disk1);
        assertThat(Files.readString(dir.resolve("outk"))).isEqualTo("not really a kernel");
    }

    @Test
    void isAPlainTarWithZstdMembers() throws Exception {
        Path a = write("b.tar");
        var proc = new ProcessRunner();
        String list = proc.run(List.of("tar", "-tf", a.toString()), Duration.ofSeconds(30))
                .stdout();
        assertThat(list.lines().toList())
                .containsExactly(
                        "backup.json", "disks/disk0.qcow2.zst", "disks/disk1.raw.zst", "files/kernel", "manifest.json");
        Path x = Files.createDirectories(dir.resolve("x"));
        proc.run(List.of("tar", "-xf", a.toString(), "-C", x.toString()), Duration.ofSeconds(30));
        proc.run(List.of("zstd", "-q", "-d", x.resolve("disks/disk0.qcow2.zst").toString()), Duration.ofSeconds(30));
        assertThat(Files.readAllBytes(x.resolve("disks/disk0.qcow2"))).isEqualTo(disk0);
    }

    @Test
    void anyFlippedByteIsFoundAndExtractionRefuses() throws Exception {
        Path a = write("b.tar");
        long size = Files.size(a);
        for (long at : new long[] {size / 3, size / 2}) {
            Path bad = dir.resolve("bad-" + at + ".tar");
            Files.copy(a, bad);
            try (var f = new RandomAccessFile(bad.toFile(), "rw")) {
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x10);
            }
            assertThat(BackupReader.verify(bad, n -> {}).ok())
                    .as("flip at " + at)
                    .isFalse();
            assertThatThrownBy(
                            () -> BackupReader.extract(bad, Map.of("disks/disk0.qcow2.zst", dir.resolve("o")), n -> {}))
                    .isInstanceOf(VesselException.class)
                    .hasMessageContaining("damaged");
        }
    }

    @Test
    void aTruncatedArchiveIsNotABackup() throws Exception {
        Path a = write("b.tar");
        Path cut = dir.resolve("cut.tar");
        try (var in = FileChannel.open(a);
                var out = FileChannel.open(cut, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(0, Files.size(a) / 2, out);
        }
        assertThatThrownBy(() -> BackupReader.manifest(cut)).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> BackupReader.header(dir.resolve("kernel"))).isInstanceOf(VesselException.class);
    }

    @Test
    void anUncommittedWriterLeavesNothing() throws Exception {
        Path a = dir.resolve("never.tar");
        try (var w = BackupWriter.create(a, Clock.systemUTC())) {
            w.disk("disks/disk0.qcow2.zst", dir.resolve("disk0.img"), n -> {});
        }
        assertThat(a).doesNotExist();
        assertThat(BackupWriter.partialOf(a)).doesNotExist();
        write("exists.tar");
        assertThatThrownBy(() -> BackupWriter.create(dir.resolve("exists.tar"), Clock.systemUTC()))
                .isInstanceOf(VesselException.class);
    }

    @Test
    void membersOverEightGibibytesGetBinarySizes() throws Exception {
        Path f = dir.resolve("h.tar");
        try (var ch =
                FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            long at = TarMembers.begin(ch);
            TarMembers.end(ch, at, "disks/big.qcow2.zst", 10L << 30, Instant.now());
            var header = ByteBuffer.allocate(TarMembers.BLOCK);
            ch.read(header, at);
            assertThat(new TarArchiveEntry(header.array()).getSize()).isEqualTo(10L << 30);
        }
    }
}
