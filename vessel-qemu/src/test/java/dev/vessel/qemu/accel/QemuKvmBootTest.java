package dev.vessel.qemu.accel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QemuKvmBootTest {
    @Test
    void theProbeBootsTheKernelAloneUnderKvmAndIsBoundedByTimeout() {
        var argv = QemuKvmBoot.argv(Path.of("/usr/bin/qemu-system-x86_64"), Path.of("/img/vmlinuz"), Duration.ofSeconds(20));
        assertThat(argv).startsWith("timeout", "--kill-after=5", "20", "/usr/bin/qemu-system-x86_64");
        assertThat(String.join(" ", argv)).contains("-accel kvm -cpu host -M q35 -m 128")
                .contains("-nodefaults").contains("-nographic -no-reboot -serial stdio")
                .endsWith("-kernel /img/vmlinuz -append console=ttyS0 panic=-1");
        assertThat(argv).doesNotContain("-initrd");
    }
}
