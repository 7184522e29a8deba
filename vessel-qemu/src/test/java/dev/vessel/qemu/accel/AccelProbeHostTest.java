package dev.vessel.qemu.accel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.AccelMode;
import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** The probe on the real host, with the tiny image's kernel. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@Timeout(300)
class AccelProbeHostTest {
    @TempDir
    Path dir;

    @Test
    void autoPicksKvmOnlyWhereAKernelReallyBootsUnderIt() throws Exception {
        Path kernel = TestImages.tiny().kernel();
        Path cache = dir.resolve("accel-probe.json");
        var probe = new AccelProbe(cache, kernel);

        AccelDecision d = probe.decide(AccelMode.AUTO);
        System.out.println("accel probe on this host: " + d);

        if (d.isKvm()) {
            // A host where KVM works: the verdict must hold up for another boot, not just for the probe's.
            assertThat(d.reason()).contains("KVM works");
            var again = ProbeVerdict.judge(new QemuKvmBoot(new ProcessRunner()).boot(AccelProbe.DEFAULT_QEMU, kernel,
                    AccelProbe.PROBE_TIMEOUT), AccelProbe.PROBE_TIMEOUT);
            assertThat(again.works()).as(again.reason()).isTrue();
        } else {
            // Here (nested KVM that opens but cannot run a guest) or a host without /dev/kvm at all.
            assertThat(d.accel()).isEqualTo("tcg");
            assertThat(d.reason()).containsIgnoringCase("kvm");
            assertThat(d.reason()).containsAnyOf("does not work", "unavailable", "cannot open");
        }
        assertThat(d.hostKey()).contains("qemu=" + AccelProbe.DEFAULT_QEMU).contains("kernel=");
        if (Files.exists(cache)) {
            // The second decision comes from the cache: same verdict, same probe time.
            assertThat(new AccelProbe(cache, kernel).decide(AccelMode.AUTO)).isEqualTo(d);
        }
    }
}
