package dev.vessel.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.qmp.QmpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real QEMU takes every OS profile's command line: it starts paused with Debian's OVMF, the VM's own variables
 * store and, for a TPM, a real swtpm; it answers over QMP with the devices the profile promises, and quits. And the
 * Hyper-V probe, asked of the real QEMU under TCG, refuses VP indexes and what needs them.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@org.junit.jupiter.api.Timeout(300)
class QemuPlatformArgvIT {
    static List<String> profiles() {
        return PlatformProfiles.names();
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void qemuAcceptsTheProfilesCommandLine(String profile) throws Exception {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "vplat");
        var paths = new VmPaths(base.resolve("state"), base.resolve("run"));
        Files.createDirectories(paths.disksDir());
        Files.createDirectories(paths.runDir());
        var spec = PlatformProfiles.spec(profile, paths);
        var proc = new ProcessRunner();
        var img = new QemuImg(proc);
        img.create(paths.disksDir().resolve("disk0.qcow2"), "qcow2", 1L << 30);
        img.convert(
                Path.of(spec.platform().varsTemplate()), "raw", paths.disksDir().resolve("efivars.qcow2"), "qcow2");
        Process swtpm = null;
        Process qemu = null;
        try {
            if (spec.platform().tpm()) {
                Swtpm.setup(proc, paths.tpmState());
                swtpm = new ProcessBuilder(Swtpm.argv(paths, 1))
                        .redirectErrorStream(true)
                        .redirectOutput(base.resolve("swtpm.out").toFile())
                        .start();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!Files.exists(paths.swtpmSocket()) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            var hyperv = spec.platform().os().windows()
                    ? HypervProbe.qemu(proc).probe(false).accepted()
                    : List.<String>of();
            var argv = QemuCommandLine.build(
                    profile, QemuCommandLineTest.UUID0, spec, paths, false, List.of(), false, hyperv);
            qemu = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(base.resolve("qemu.out").toFile())
                    .start();
            try (var qmp = QmpClient.connect(paths.qmpSocket(), Duration.ofSeconds(20))) {
                assertThat(qmp.queryStatus().running()).as("paused by -S").isFalse();
                var pflash = qmp.execute("query-block");
                assertThat(pflash.toString()).contains("efivars.qcow2");
                var tpm = qmp.execute("query-tpm");
                if (spec.platform().tpm()) {
                    assertThat(tpm.get(0).path("model").asText()).isEqualTo("tpm-crb");
                } else {
                    assertThat(tpm).isEmpty();
                }
                var devices = qmp.execute("qom-list", java.util.Map.of("path", "/machine/peripheral"))
                        .toString();
                assertThat(devices)
                        .contains(
                                !spec.platform().os().windows()
                                        ? "virtio-blk"
                                        : spec.platform().virtio() ? "scsi-hd" : "ide-hd");
                qmp.quit();
            }
            assertThat(qemu.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(qemu.exitValue())
                    .as(Files.readString(base.resolve("qemu.out")))
                    .isZero();
        } finally {
            if (qemu != null) {
                qemu.destroyForcibly();
            }
            if (swtpm != null) {
                swtpm.destroyForcibly();
            }
            dev.vessel.host.AtomicFiles.deleteTree(base);
        }
    }

    @Test
    void underTcgTheProbeRefusesVpIndexesAndWhatBuildsOnThem() {
        var r = HypervProbe.qemu(new ProcessRunner()).probe(false);
        assertThat(r.accepted()).isEqualTo(PlatformProfiles.HYPERV_TCG);
        assertThat(r.refused()).containsExactly("hv_vpindex", "hv_synic", "hv_stimer", "hv_ipi", "hv_tlbflush");
    }
}
