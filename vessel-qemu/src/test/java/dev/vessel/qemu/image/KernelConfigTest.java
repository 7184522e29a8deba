package dev.vessel.qemu.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KernelConfigTest {
    private static final String DEBIAN_CLOUD = ScriptedRunner.sample("kernel-config.sample");

    @Test
    void theDebianCloudKernelNeedsItsVirtioAndPowerButtonDriversLoadedAsModules() {
        assertThat(KernelConfig.parse(DEBIAN_CLOUD).modulesToLoad())
                .containsExactly(
                        "virtio_pci",
                        "virtio_blk",
                        "virtio_net",
                        "virtio_balloon",
                        "virtio_console",
                        "button",
                        "evdev");
    }

    @Test
    void builtInDriversNeedNoModule() {
        String all = DEBIAN_CLOUD.replace("=m", "=y");
        assertThat(KernelConfig.parse(all).modulesToLoad()).isEmpty();
    }

    @Test
    void ext4AsAModuleIsLoadedLikeTheOthers() {
        String ext4m = DEBIAN_CLOUD.replace("CONFIG_EXT4_FS=y", "CONFIG_EXT4_FS=m");
        assertThat(KernelConfig.parse(ext4m).modulesToLoad()).contains("ext4");
    }

    @Test
    void aMissingDriverStopsTheBuildAndNamesIt() {
        String noNet = DEBIAN_CLOUD.replace("CONFIG_VIRTIO_NET=m", "# CONFIG_VIRTIO_NET is not set");
        assertThatThrownBy(() -> KernelConfig.parse(noNet).modulesToLoad())
                .hasMessageContaining("CONFIG_VIRTIO_NET")
                .hasMessageContaining("network");
    }

    @Test
    void theSerialConsoleMustBeBuiltIn() {
        String modular = DEBIAN_CLOUD.replace("CONFIG_SERIAL_8250_CONSOLE=y", "CONFIG_SERIAL_8250_CONSOLE=m");
        assertThatThrownBy(() -> KernelConfig.parse(modular).modulesToLoad())
                .hasMessageContaining("CONFIG_SERIAL_8250_CONSOLE=y");
    }

    @Test
    void notSetAndAbsentReadTheSame() {
        var c = KernelConfig.parse(DEBIAN_CLOUD);
        assertThat(c.value("CONFIG_NET_9P")).isNull();
        assertThat(c.value("CONFIG_NO_SUCH_THING")).isNull();
        assertThat(c.value("CONFIG_VIRTIO_BLK")).isEqualTo("m");
    }
}
