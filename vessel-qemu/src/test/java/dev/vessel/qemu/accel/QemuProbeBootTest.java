package dev.vessel.qemu.accel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QemuProbeBootTest {
    @Test
    void underKvmTheProbeGetsTheLaunchersVcpuAndIsBoundedByTimeout() {
        var argv = QemuProbeBoot.argv(
                Path.of("/usr/bin/qemu-system-x86_64"), Path.of("/run/kvm-probe.elf"), true, Duration.ofSeconds(20));
        assertThat(argv).startsWith("timeout", "--kill-after=5", "20", "/usr/bin/qemu-system-x86_64");
        assertThat(String.join(" ", argv))
                .contains("-accel kvm -cpu host -M q35 -m 64")
                .contains("-nodefaults")
                .contains("-nographic -no-reboot -serial stdio")
                .endsWith("-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel /run/kvm-probe.elf");
        assertThat(argv).doesNotContain("-initrd", "-append");
    }

    @Test
    void underTcgItGetsTheTcgVcpu() {
        var argv = QemuProbeBoot.argv(
                Path.of("/usr/bin/qemu-system-x86_64"), Path.of("/run/kvm-probe.elf"), false, Duration.ofSeconds(20));
        assertThat(String.join(" ", argv)).contains("-accel tcg -cpu max");
    }
}
