package dev.vessel.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerMount;
import dev.vessel.engine.config.ContainerSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container rules that need no host: mount syntax and the daemon settings. */
class ContainerRulesTest {
    @Test
    void volumesAreBindsForAbsoluteSourcesAndNamedVolumesOtherwise() {
        assertThat(MountSyntax.volume("/tmp:/data:ro"))
                .isEqualTo(new ContainerMount(ContainerMount.Type.BIND, "/tmp", "/data", true));
        assertThat(MountSyntax.volume("cache:/var/cache"))
                .isEqualTo(new ContainerMount(ContainerMount.Type.VOLUME, "cache", "/var/cache", false));
        for (String bad : List.of(
                "cache",
                "Cache:/x",
                "cache:x",
                "/tmp:/proc/x",
                "/tmp:/",
                "/tmp:/a/../b",
                "/tmp:/x:rx",
                "/no/such/dir:/x")) {
            assertThatThrownBy(() -> MountSyntax.volume(bad)).as(bad).isInstanceOf(VesselException.class);
        }
    }

    @Test
    void tmpfsOptionsAreCheckedAgainstTheKnownOnes() {
        assertThat(MountSyntax.tmpfs("/run:size=64m,mode=1777,exec").options())
                .containsExactly("size=64m", "mode=1777", "exec");
        assertThat(MountSyntax.tmpfs("/scratch").options()).isEmpty();
        assertThatThrownBy(() -> MountSyntax.tmpfs("/run:suid")).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> MountSyntax.tmpfs("/run:size=1m,dev=x")).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> MountSyntax.distinctTargets(
                        List.of(MountSyntax.tmpfs("/x")), List.of(MountSyntax.volume("v:/x"))))
                .hasMessageContaining("two mounts at '/x'");
    }

    @Test
    void registryAndLayerSettingsAreValidated() {
        var s = ContainerSettings.from(
                Map.of("insecure-registries", "reg.lan:5000, 10.0.0.5", "container-rootfs", "copy"));
        assertThat(s.insecureRegistries()).containsExactlyInAnyOrder("reg.lan:5000", "10.0.0.5");
        assertThat(s.copyRootfs()).isTrue();
        assertThatThrownBy(() ->
                        ContainerSettings.from(Map.of("insecure-registries", "http://x", "container-rootfs", "auto")))
                .hasMessageContaining("insecure-registries");
        assertThatThrownBy(() -> ContainerSettings.from(Map.of("insecure-registries", "", "container-rootfs", "vfs")))
                .hasMessageContaining("container-rootfs");
        assertThat(s.logMaxSize()).as("default").isEqualTo(10L << 20);
        var logs = ContainerSettings.from(Map.of(
                "insecure-registries",
                "",
                "container-rootfs",
                "auto",
                "container-log-max-size",
                "64K",
                "container-log-max-files",
                "5"));
        assertThat(logs.logMaxSize()).isEqualTo(64 << 10);
        assertThat(logs.logMaxFiles()).isEqualTo(5);
        assertThatThrownBy(() -> ContainerSettings.from(
                        Map.of("insecure-registries", "", "container-rootfs", "auto", "container-log-max-size", "1K")))
                .hasMessageContaining("container-log-max-size");
        assertThatThrownBy(() -> ContainerSettings.from(
                        Map.of("insecure-registries", "", "container-rootfs", "auto", "container-log-max-files", "-1")))
                .hasMessageContaining("container-log-max-files");
    }
}
