package dev.vessel.qemu.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleDepsTest {
    private static final ModuleDeps DEBIAN = ModuleDeps.parse(ScriptedRunner.sample("modules.dep.sample"));

    @Test
    void dependenciesAreLoadedBeforeTheModulesThatNeedThem() {
        List<String> order = DEBIAN.loadOrder(List.of("virtio_net"));
        assertThat(order)
                .containsExactlyInAnyOrder(
                        "kernel/drivers/virtio/virtio_ring.ko",
                        "kernel/drivers/virtio/virtio.ko",
                        "kernel/net/core/failover.ko",
                        "kernel/drivers/net/net_failover.ko",
                        "kernel/drivers/net/virtio_net.ko");
        assertThat(order.indexOf("kernel/drivers/virtio/virtio_ring.ko"))
                .isLessThan(order.indexOf("kernel/drivers/virtio/virtio.ko"));
        assertThat(order.indexOf("kernel/net/core/failover.ko"))
                .isLessThan(order.indexOf("kernel/drivers/net/net_failover.ko"));
        assertThat(order.getLast()).isEqualTo("kernel/drivers/net/virtio_net.ko");
    }

    @Test
    void aSharedDependencyIsLoadedOnce() {
        List<String> order = DEBIAN.loadOrder(List.of("virtio_pci", "virtio_blk", "virtio_balloon"));
        assertThat(order).doesNotHaveDuplicates();
        assertThat(order).filteredOn(p -> p.endsWith("/virtio.ko")).hasSize(1);
        assertThat(order.indexOf("kernel/drivers/virtio/virtio.ko"))
                .isLessThan(order.indexOf("kernel/drivers/block/virtio_blk.ko"));
    }

    @Test
    void dashesAndUnderscoresNameTheSameModule() {
        var deps = ModuleDeps.parse("kernel/drivers/char/hw_random/virtio-rng.ko:\n");
        assertThat(deps.pathOf("virtio_rng")).isEqualTo("kernel/drivers/char/hw_random/virtio-rng.ko");
        assertThat(ModuleDeps.moduleName("kernel/x/foo-bar.ko.xz")).isEqualTo("foo_bar");
    }

    @Test
    void anUnknownModuleIsAnError() {
        assertThatThrownBy(() -> DEBIAN.loadOrder(List.of("nvidia"))).hasMessageContaining("nvidia");
    }

    @Test
    void aCycleIsReportedInsteadOfLoopingForever() {
        var deps = ModuleDeps.parse("kernel/a.ko: kernel/b.ko\nkernel/b.ko: kernel/a.ko\n");
        assertThatThrownBy(() -> deps.loadOrder(List.of("a"))).hasMessageContaining("cycle");
    }
}
