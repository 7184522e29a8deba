package dev.vessel.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerMount;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.core.model.StopReason;
import dev.vessel.engine.config.ContainerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container rules that need no host: mount syntax, when a policy restarts, the back-off, the daemon settings. */
class ContainerRulesTest {
    static InstanceState.Stopped stopped(StopReason reason, Integer code) {
        return new InstanceState.Stopped(Instant.EPOCH, reason, null, code);
    }

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
    void policiesRestartWhatDockerRestarts() {
        var failure = stopped(StopReason.EXITED, 1);
        var success = stopped(StopReason.EXITED, 0);
        var userStop = stopped(StopReason.STOPPED, 143);
        var oom = stopped(StopReason.OOM_KILLED, 137);
        var unknown = stopped(StopReason.DIED_WHILE_DAEMON_DOWN, null);
        RestartPolicy onFailure = RestartPolicy.parse("on-failure");
        assertThat(RestartSupervisor.shouldRestart(onFailure, failure, false)).isTrue();
        assertThat(RestartSupervisor.shouldRestart(onFailure, oom, false)).isTrue();
        assertThat(RestartSupervisor.shouldRestart(onFailure, unknown, true)).isTrue();
        assertThat(RestartSupervisor.shouldRestart(onFailure, success, false)).isFalse();
        assertThat(RestartSupervisor.shouldRestart(onFailure, userStop, false)).isFalse();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("always"), success, false))
                .isTrue();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("always"), userStop, false))
                .isFalse();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("always"), userStop, true))
                .isTrue();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("unless-stopped"), userStop, true))
                .isFalse();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("unless-stopped"), failure, true))
                .isTrue();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.NO, failure, true))
                .isFalse();
        // a VM: QEMU dying is a failure, the guest powering off a clean exit
        var crashed = stopped(StopReason.CRASHED, null);
        var poweredOff = stopped(StopReason.GUEST_SHUTDOWN, null);
        assertThat(RestartSupervisor.shouldRestart(onFailure, crashed, false)).isTrue();
        assertThat(RestartSupervisor.shouldRestart(onFailure, poweredOff, false))
                .isFalse();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("always"), poweredOff, false))
                .isTrue();
    }

    @Test
    void theBackOffDoublesUpToAMinute() {
        assertThat(RestartSupervisor.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(RestartSupervisor.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(RestartSupervisor.backoff(5)).isEqualTo(Duration.ofMillis(1600));
        assertThat(RestartSupervisor.backoff(40)).isEqualTo(Duration.ofMinutes(1));
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
