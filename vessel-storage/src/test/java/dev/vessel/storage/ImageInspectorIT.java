package dev.vessel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.QemuImg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Hostile images are refused before qemu-img reads a byte of what they point at. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class ImageInspectorIT {
    private final ProcessRunner proc = new ProcessRunner();
    private final ImageInspector inspector = new ImageInspector(new QemuImg(proc));
    private Path base;
    private Path pool;
    private Path outside;

    @BeforeEach
    void dirs() throws Exception {
        base = Files.createTempDirectory(Path.of("/tmp"), "vi-");
        pool = Files.createDirectories(base.resolve("pool"));
        outside = Files.createDirectories(base.resolve("outside"));
    }

    @AfterEach
    void clean() {
        AtomicFiles.deleteTree(base);
    }

    private void img(String... args) {
        var argv = new ArrayList<>(List.of(QemuImg.BINARY));
        argv.addAll(List.of(args));
        proc.run(argv, Duration.ofSeconds(30));
    }

    private void refused(Path image, Path root, String why) {
        assertThatThrownBy(() -> inspector.inspect(image, null, root))
                .as(image.getFileName().toString())
                .isInstanceOf(VesselException.class)
                .hasMessageContaining(why);
    }

    @Test
    void aBackingFileOutsideThePoolIsRefused() {
        Path secret = outside.resolve("secret.raw");
        img("create", "-q", "-f", "raw", secret.toString(), "1M");
        Path top = pool.resolve("top.qcow2");
        img("create", "-q", "-f", "qcow2", "-F", "raw", "-b", secret.toString(), top.toString());
        refused(top, pool, "outside");
        refused(top, null, "standalone");
        Path rel = pool.resolve("rel.qcow2");
        img("create", "-q", "-f", "qcow2", "-F", "raw", "-b", "../outside/secret.raw", "-u", rel.toString(), "1M");
        refused(rel, pool, "outside");
    }

    @Test
    void aBackingFileInsideThePoolIsAllowedAndFollowed() {
        Path base1 = pool.resolve("base.qcow2");
        img("create", "-q", "-f", "qcow2", base1.toString(), "8M");
        Path top = pool.resolve("top.qcow2");
        img("create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", "base.qcow2", top.toString());
        var found = inspector.inspect(top, "qcow2", pool);
        assertThat(found.hasBacking()).isTrue();
        assertThat(found.virtualSize()).isEqualTo(8L << 20);
        // ... but a chain that leaves the pool further down is refused too.
        Path secret = outside.resolve("secret.raw");
        img("create", "-q", "-f", "raw", secret.toString(), "8M");
        img("rebase", "-q", "-u", "-F", "raw", "-b", secret.toString(), base1.toString());
        refused(top, pool, "outside");
    }

    @Test
    void jsonAndProtocolBackingNamesAreRefused() {
        Path json = pool.resolve("json.qcow2");
        img(
                "create",
                "-q",
                "-f",
                "qcow2",
                "-u",
                "-F",
                "raw",
                "-b",
                "json:{\"driver\":\"raw\",\"file\":{\"driver\":\"file\",\"filename\":\"/etc/shadow\"}}",
                json.toString(),
                "1M");
        refused(json, pool, "protocol or json:");
        Path nbd = pool.resolve("nbd.qcow2");
        img("create", "-q", "-f", "qcow2", "-u", "-F", "raw", "-b", "nbd://127.0.0.1:1/x", nbd.toString(), "1M");
        refused(nbd, pool, "protocol or json:");
    }

    @Test
    void anExternalDataFileIsRefused() {
        Path data = outside.resolve("data.raw");
        Path img = pool.resolve("withdata.qcow2");
        img("create", "-q", "-f", "qcow2", "-o", "data_file=" + data, img.toString(), "1M");
        refused(img, pool, "external data file");
    }

    @Test
    void aVmdkWithAnExtentElsewhereIsRefused() throws Exception {
        Path secret = outside.resolve("secret.bin");
        Files.write(secret, new byte[512 * 8]);
        Path vmdk = pool.resolve("desc.vmdk");
        Files.writeString(vmdk, """
                # Disk DescriptorFile
                version=1
                CID=fffffffe
                parentCID=ffffffff
                createType="monolithicFlat"

                RW 8 FLAT "%s" 0

                ddb.virtualHWVersion = "4"
                ddb.geometry.cylinders = "1"
                ddb.geometry.heads = "1"
                ddb.geometry.sectors = "8"
                ddb.adapterType = "ide"
                """.formatted(secret));
        refused(vmdk, pool, "extent");
        Path mono = pool.resolve("mono.vmdk");
        img("create", "-q", "-f", "vmdk", mono.toString(), "4M");
        assertThat(inspector.inspect(mono, "vmdk", pool).format()).isEqualTo(SourceFormat.vmdk);
    }

    @Test
    void unknownFormatsAndWrongClaimsAreRefused() {
        Path qed = pool.resolve("x.qed");
        img("create", "-q", "-f", "qed", qed.toString(), "1M");
        refused(qed, pool, "does not import");
        Path q = pool.resolve("q.qcow2");
        img("create", "-q", "-f", "qcow2", q.toString(), "1M");
        assertThatThrownBy(() -> inspector.inspect(q, "raw", pool))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("not raw");
        assertThatThrownBy(() -> inspector.inspect(q, "floppy", pool))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("floppy");
    }

    @Test
    void aBackingChainThatLoopsIsRefused() {
        Path a = pool.resolve("a.qcow2");
        Path b = pool.resolve("b.qcow2");
        img("create", "-q", "-f", "qcow2", a.toString(), "1M");
        img("create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", a.toString(), b.toString());
        img("rebase", "-q", "-u", "-F", "qcow2", "-b", b.toString(), a.toString());
        assertThatThrownBy(() -> inspector.inspect(b, null, pool)).isInstanceOf(VesselException.class);
    }
}
