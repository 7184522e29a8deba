package dev.vessel.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Boot;
import dev.vessel.core.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line of every OS profile and firmware, as golden files (QemuPlatformArgvIT has QEMU accept each). */
class QemuPlatformCommandLineTest {
    static List<String> profiles() {
        return PlatformProfiles.names();
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void eachProfileHasItsGoldenCommandLine(String profile) throws Exception {
        var spec = PlatformProfiles.spec(profile, QemuCommandLineTest.PATHS);
        var hyperv = spec.platform().os().windows() ? PlatformProfiles.HYPERV_TCG : List.<String>of();
        var argv = QemuCommandLine.build(
                profile, QemuCommandLineTest.UUID0, spec, QemuCommandLineTest.PATHS, false, List.of(), false, hyperv);
        Golden.assertMatches("qemu-" + profile + ".argv", String.join("\n", argv) + "\n");
    }

    @Test
    void windowsGetsSataAnIntelNicLocalTimeNoHpetNoSuspendAndTheProbedEnlightenments() {
        var spec = PlatformProfiles.spec("win11", QemuCommandLineTest.PATHS);
        var nic = new GuestNic(0, "tap0", "0a:56:65:01:02:03");
        var argv = QemuCommandLine.build(
                "w",
                QemuCommandLineTest.UUID0,
                spec,
                QemuCommandLineTest.PATHS,
                false,
                List.of(nic),
                false,
                PlatformProfiles.HYPERV_TCG);
        String all = String.join(" ", argv);
        assertThat(all)
                .contains("ide-hd,drive=disk0")
                .contains("e1000e,netdev=")
                .contains("-rtc base=localtime")
                .contains("hpet=off")
                .contains("ICH9-LPC.disable_s3=1")
                .contains("ICH9-LPC.disable_s4=1")
                .contains("-cpu max,hv_relaxed,")
                .doesNotContain("hv_vpindex")
                .contains("smm=on")
                .contains("tpm-crb,tpmdev=tpm0")
                .contains("pflash0=fw-code,pflash1=disk1")
                .contains("OVMF_CODE_4M.secboot.fd")
                .contains("driver=cfi.pflash01,property=secure,value=on");
        // the variables store is a flash chip, never a disk the guest sees
        assertThat(argv).noneMatch(a -> a.contains("drive=disk1"));
    }

    @Test
    void linuxOnBiosIsAsItWas() {
        var argv = String.join(
                " ",
                QemuCommandLine.build(
                        "web",
                        QemuCommandLineTest.UUID0,
                        QemuCommandLineTest.diskSpec(),
                        QemuCommandLineTest.PATHS,
                        true));
        assertThat(argv)
                .contains("-machine q35 ")
                .doesNotContain("pflash")
                .doesNotContain("tpm")
                .contains("base=utc");
    }

    @Test
    void aUefiVmWithoutItsVariablesStoreIsRefusedWithAClearError() {
        var spec = PlatformProfiles.spec("linux-uefi", QemuCommandLineTest.PATHS);
        var noVars = spec.withBoot(
                new Boot(null, null, null, List.of(spec.boot().disks().getFirst())));
        assertThatThrownBy(() ->
                        QemuCommandLine.build("x", QemuCommandLineTest.UUID0, noVars, QemuCommandLineTest.PATHS, false))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("no variables store");
    }

    @Test
    void swtpmRunsOnTheVmsStateFileAndSocketAndEndsWithQemu() {
        var argv = Swtpm.argv(QemuCommandLineTest.PATHS, 1);
        assertThat(argv)
                .startsWith("/usr/bin/swtpm", "socket", "--tpm2")
                .contains("backend-uri=file:///var/lib/vessel/instances/0123456789ab/disks/tpm.state")
                .contains("type=unixio,path=/run/vessel/vm/0123456789ab/swtpm.sock")
                .contains("--terminate");
        assertThat(Swtpm.setupArgv(QemuCommandLineTest.PATHS.tpmState()))
                .contains("--tpm2", "--createek", "--create-ek-cert", "--lock-nvram", "--not-overwrite");
    }

    @Test
    void aTpmAddsSwtpmToTheContainersMemoryLimit() {
        var with = PlatformProfiles.spec("linux-uefi-secure-tpm", QemuCommandLineTest.PATHS);
        var without = PlatformProfiles.spec("linux-uefi", QemuCommandLineTest.PATHS);
        long a = VmContainerSpec.build(
                        "a",
                        with,
                        QemuCommandLineTest.PATHS,
                        List.of("q"),
                        false,
                        java.nio.file.Path.of("/img"),
                        "/v/a",
                        1000)
                .resources()
                .memoryLimit();
        long b = VmContainerSpec.build(
                        "b",
                        without,
                        QemuCommandLineTest.PATHS,
                        List.of("q"),
                        false,
                        java.nio.file.Path.of("/img"),
                        "/v/b",
                        1000)
                .resources()
                .memoryLimit();
        assertThat(a - b).isEqualTo(QemuOverhead.SWTPM);
    }
}
