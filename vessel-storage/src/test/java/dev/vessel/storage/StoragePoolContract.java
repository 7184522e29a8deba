package dev.vessel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.driver.InstanceDriver;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.QemuImg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StoragePool} must do, whatever keeps its blocks. A driver's test subclasses this and supplies a
 * fresh pool over real storage, a directory that stands for a VM's directory, and a way to leave an interrupted write
 * behind.
 */
public abstract class StoragePoolContract {
    protected static final long MIB = 1L << 20;
    protected final ProcessRunner proc = new ProcessRunner();
    protected final QemuImg qemuImg = new QemuImg(proc);
    protected StoragePool pool;

    /** A new, empty pool. */
    protected abstract StoragePool newPool() throws Exception;

    /** A directory as a VM's own directory would be (where {@link StoragePool#expose} puts the volume). */
    protected abstract Path vmDir() throws Exception;

    /** A scratch directory for source images, outside the pool. */
    protected abstract Path scratch() throws Exception;

    /** Leaves what a crash in the middle of writing {@code volume} would leave. */
    protected abstract void leaveInterruptedWrite(StoragePool pool, String volume) throws Exception;

    /** Ends what {@link #expose} did, as detaching a volume does. */
    protected abstract void unexpose(Path exposed) throws Exception;

    @BeforeEach
    void freshPool() throws Exception {
        pool = newPool();
    }

    @Test
    void createsSparseVolumesInBothFormats() {
        Volume q = pool.create(new VolumeRequest("data", VolumeFormat.qcow2, 64 * MIB, Preallocation.off));
        Volume r = pool.create(new VolumeRequest("plain", VolumeFormat.raw, 32 * MIB, Preallocation.off));
        assertThat(q.virtualSize()).isEqualTo(64 * MIB);
        assertThat(q.allocatedSize()).isLessThan(2 * MIB);
        assertThat(r.virtualSize()).isEqualTo(32 * MIB);
        assertThat(r.allocatedSize()).isLessThan(MIB);
        assertThat(qemuImg.info(Path.of(q.path())).format()).isEqualTo("qcow2");
        assertThat(qemuImg.info(Path.of(r.path())).virtualSize()).isEqualTo(32 * MIB);
        assertThat(pool.list()).extracting(Volume::name).containsExactly("data", "plain");
        assertThat(pool.find("data")).contains(q);
        assertThat(pool.find("nothing")).isEmpty();
        assertThat(pool.find("../etc")).isEmpty();
    }

    @Test
    void preallocatedVolumesTakeTheirSpaceUpFront() {
        Volume r = pool.create(new VolumeRequest("fat", VolumeFormat.raw, 16 * MIB, Preallocation.falloc));
        Volume q = pool.create(new VolumeRequest("fatq", VolumeFormat.qcow2, 16 * MIB, Preallocation.full));
        assertThat(r.allocatedSize()).isGreaterThanOrEqualTo(16 * MIB);
        assertThat(q.allocatedSize()).isGreaterThanOrEqualTo(16 * MIB);
        assertThatThrownBy(() ->
                        pool.create(new VolumeRequest("huge", VolumeFormat.raw, VolumeSizes.MAX, Preallocation.falloc)))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("free");
        assertThat(pool.find("huge")).isEmpty();
    }

    @Test
    void aNameIsTakenOnceWhateverTheFormat() {
        pool.create(new VolumeRequest("once", VolumeFormat.qcow2, 8 * MIB, Preallocation.off));
        assertThatThrownBy(() -> pool.create(new VolumeRequest("once", VolumeFormat.raw, 8 * MIB, Preallocation.off)))
                .isInstanceOf(VesselException.class)
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.ALREADY_EXISTS));
    }

    @Test
    void badNamesAndSizesAreRefusedBeforeAnythingIsMade() {
        for (long size : List.of(0L, 1000L, MIB + 1, VolumeSizes.MAX + 512, -MIB)) {
            assertThatThrownBy(() -> new VolumeRequest("s", VolumeFormat.qcow2, size, Preallocation.off))
                    .as("size " + size)
                    .isInstanceOf(VesselException.class);
        }
        for (String name : List.of("", "Upper", "../x", "a/b", "x".repeat(64), "-x")) {
            assertThatThrownBy(() -> new VolumeRequest(name, VolumeFormat.qcow2, MIB, Preallocation.off))
                    .as("name " + name)
                    .isInstanceOf(VesselException.class);
        }
        assertThatThrownBy(() -> VolumeSizes.parse("size", "8E", 0)).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> VolumeSizes.parse("size", "99999999999999999999", 0))
                .isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> VolumeSizes.parse("size", "+8E", 60L << 40)).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> VolumeFormat.parse("format", "vmdk")).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> new VolumeRequest("m", VolumeFormat.raw, MIB, Preallocation.metadata))
                .isInstanceOf(VesselException.class);
        assertThat(pool.list()).isEmpty();
    }

    @Test
    void resizeGrowsAlwaysAndShrinksOnlyWhenForced() throws Exception {
        for (VolumeFormat f : VolumeFormat.values()) {
            String n = "grow-" + f;
            pool.create(new VolumeRequest(n, f, 16 * MIB, Preallocation.off));
            assertThat(pool.resize(n, 32 * MIB, false).virtualSize()).isEqualTo(32 * MIB);
            assertThat(qemuImg.info(Path.of(pool.find(n).orElseThrow().path())).virtualSize())
                    .isEqualTo(32 * MIB);
            assertThatThrownBy(() -> pool.resize(n, 8 * MIB, false))
                    .isInstanceOf(VesselException.class)
                    .hasMessageContaining("force");
            assertThat(pool.find(n).orElseThrow().virtualSize()).isEqualTo(32 * MIB);
            assertThat(pool.resize(n, 8 * MIB, true).virtualSize()).isEqualTo(8 * MIB);
            assertThatThrownBy(() -> pool.resize(n, VolumeSizes.MAX * 2, false)).isInstanceOf(VesselException.class);
        }
        assertThatThrownBy(() -> pool.resize("missing", 32 * MIB, false))
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.NOT_FOUND));
    }

    @Test
    void importsEveryFormatAndKeepsTheBytes() throws Exception {
        Path src = scratch().resolve("source.raw");
        byte[] pattern = new byte[4 * (int) MIB];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 31 + i / 4096);
        }
        Files.write(src, pattern);
        var inspector = new ImageInspector(qemuImg);
        for (SourceFormat f :
                List.of(SourceFormat.qcow2, SourceFormat.vmdk, SourceFormat.vhdx, SourceFormat.vdi, SourceFormat.raw)) {
            Path in = src;
            if (f != SourceFormat.raw) {
                in = scratch().resolve("source." + f);
                proc.run(
                        List.of(
                                QemuImg.BINARY,
                                "convert",
                                "-q",
                                "-f",
                                "raw",
                                "-O",
                                f.qemuDriver(),
                                src.toString(),
                                in.toString()),
                        Duration.ofMinutes(1));
            }
            var found = inspector.inspect(in, null, null);
            assertThat(found.format()).isEqualTo(f);
            for (VolumeFormat to : VolumeFormat.values()) {
                String n = ("from-" + f + "-" + to).toLowerCase();
                Volume v = pool.importImage(n, in, found.format(), to, InstanceDriver.Progress.NONE);
                assertThat(v.format()).isEqualTo(to);
                var cmp = proc.exec(
                        List.of(
                                QemuImg.BINARY,
                                "compare",
                                "-q",
                                "-f",
                                "raw",
                                "-F",
                                to.name(),
                                src.toString(),
                                v.path()),
                        Duration.ofMinutes(1),
                        null,
                        null);
                assertThat(cmp.exitCode())
                        .as(n + " has the source's bytes: " + cmp.stderr())
                        .isZero();
            }
        }
    }

    @Test
    void anIsoIsRecognisedAndImportedAsRaw() throws Exception {
        Path iso = scratch().resolve("cd.iso");
        byte[] b = new byte[0x9000];
        System.arraycopy("CD001".getBytes(StandardCharsets.US_ASCII), 0, b, 0x8001, 5);
        Files.write(iso, b);
        var found = new ImageInspector(qemuImg).inspect(iso, null, null);
        assertThat(found.format()).isEqualTo(SourceFormat.iso);
        Volume v = pool.importImage("cd", iso, found.format(), VolumeFormat.raw, InstanceDriver.Progress.NONE);
        assertThat(Files.readAllBytes(Path.of(v.path()))).isEqualTo(b);
    }

    @Test
    void aFailedImportLeavesNothing() throws Exception {
        Path broken = scratch().resolve("broken.qcow2");
        proc.run(
                List.of(QemuImg.BINARY, "create", "-q", "-f", "qcow2", broken.toString(), "64M"),
                Duration.ofSeconds(30));
        byte[] head = Files.readAllBytes(broken);
        // An L1 table offset that is not cluster-aligned: qemu-img refuses the image half-way into the import.
        head[47] = 0x01;
        Files.write(broken, head);
        assertThatThrownBy(() -> pool.importImage(
                        "broken", broken, SourceFormat.qcow2, VolumeFormat.qcow2, InstanceDriver.Progress.NONE))
                .isInstanceOf(VesselException.class);
        assertThat(pool.find("broken")).isEmpty();
        assertThat(pool.recover()).isEmpty();
    }

    @Test
    void anExposedVolumeIsTheSameDataAndCannotBeRemoved() throws Exception {
        Volume v = pool.create(new VolumeRequest("shared", VolumeFormat.qcow2, 8 * MIB, Preallocation.off));
        Path seen = pool.expose("shared", vmDir());
        assertThat(pool.expose("shared", vmDir())).as("idempotent").isEqualTo(seen);
        assertThat(seen).startsWith(vmDir());
        pool.resize("shared", 16 * MIB, false);
        assertThat(qemuImg.info(seen).virtualSize())
                .as("the VM sees the pool's volume, not a copy")
                .isEqualTo(16 * MIB);
        assertThatThrownBy(() -> pool.delete("shared"))
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.IN_USE));
        unexpose(seen);
        pool.delete("shared");
        assertThat(pool.find("shared")).isEmpty();
        assertThat(v.name()).isEqualTo("shared");
    }

    @Test
    void recoverRemovesInterruptedWritesAndKeepsVolumes() throws Exception {
        pool.create(new VolumeRequest("kept", VolumeFormat.qcow2, 8 * MIB, Preallocation.off));
        leaveInterruptedWrite(pool, "half");
        assertThat(pool.find("half")).isEmpty();
        assertThat(pool.recover()).hasSize(1);
        assertThat(pool.recover()).isEmpty();
        assertThat(pool.list()).extracting(Volume::name).containsExactly("kept");
        // The name of the interrupted volume is free again.
        pool.create(new VolumeRequest("half", VolumeFormat.raw, 8 * MIB, Preallocation.off));
    }

    @Test
    void infoReportsSpaceAndAPlaceForBackups() {
        var info = pool.info();
        assertThat(info.name()).isEqualTo(pool.name());
        assertThat(info.capacityBytes()).isPositive();
        assertThat(info.availableBytes()).isPositive().isLessThanOrEqualTo(info.capacityBytes());
        assertThat(pool.backupsDir()).isPresent();
    }
}
