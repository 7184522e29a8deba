package dev.vessel.qemu.accel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.AccelMode;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** The probe on the real host, with Vessel's own probe kernel: no image, no download, nothing a user must do first. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@Timeout(300)
class AccelProbeHostTest {
    @TempDir
    Path dir;

    @Test
    void autoPicksKvmOnlyWhereTheProbeReallyRunsUnderIt() throws Exception {
        Path kernel = ProbeKernel.materialize(dir.resolve("run"));
        Path cache = dir.resolve("accel-probe.json");
        var probe = new AccelProbe(cache, kernel);

        AccelDecision d = probe.decide(AccelMode.AUTO);
        System.out.println("accel probe on this host: " + d);
        assertThat(d.reason())
                .as("a verdict, not 'not verified'")
                .doesNotContain("not verified")
                .doesNotContain("tiny image");

        var boot = new QemuProbeBoot(new ProcessRunner());
        if (d.isKvm()) {
            // A host where KVM works: the verdict must hold up for another run, not just for the probe's.
            assertThat(d.reason()).contains("KVM works");
            var again = ProbeVerdict.judge(
                    boot.boot(AccelProbe.DEFAULT_QEMU, kernel, true, AccelProbe.PROBE_TIMEOUT),
                    AccelProbe.PROBE_TIMEOUT);
            assertThat(again.works()).as(again.reason()).isTrue();
        } else {
            // Here (nested KVM that opens but cannot run a guest) or a host without /dev/kvm at all.
            assertThat(d.accel()).isEqualTo("tcg");
            assertThat(d.reason()).containsIgnoringCase("kvm");
            assertThat(d.reason()).containsAnyOf("does not work", "unavailable", "cannot open");
        }
        // The probe kernel itself runs: under TCG it always gets to its marker and ends QEMU with its own status.
        var tcg = boot.boot(AccelProbe.DEFAULT_QEMU, kernel, false, AccelProbe.PROBE_TIMEOUT);
        assertThat(tcg.console()).contains(ProbeKernel.MARKER);
        assertThat(tcg.exitCode()).isEqualTo(ProbeKernel.PASSED);

        assertThat(d.hostKey()).contains("qemu=" + AccelProbe.DEFAULT_QEMU).contains("kernel=");
        if (Files.exists(cache)) {
            // The second decision comes from the cache: same verdict, same probe time.
            assertThat(new AccelProbe(cache, kernel).decide(AccelMode.AUTO)).isEqualTo(d);
        }
    }
}
