package dev.vessel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.engine.config.DaemonConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonConfigTest {
    static final Map<String, String> TOOLS = Map.of("runtime", "/bin/sh", "qemu", "/bin/sh");

    static Map<String, String> with(String k, String v) {
        var m = new java.util.HashMap<>(TOOLS);
        m.put(k, v);
        return m;
    }

    @Test
    void defaultsDeriveTheSocketFromTheRunDir() {
        var c = DaemonConfig.from(TOOLS, Map.of("VESSEL_RUN_DIR", "/tmp/vr"));
        assertThat(c.socket()).isEqualTo(Path.of("/tmp/vr/vessel.sock"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/vessel"));
        assertThat(c.tcpListen()).isNull();
        assertThat(c.defaultStopTimeoutSeconds()).isEqualTo(60);
    }

    @Test
    void flagsWinOverTheEnvironment() {
        var c = DaemonConfig.from(with("data-dir", "/srv/a"), Map.of("VESSEL_DATA_DIR", "/srv/b"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/a"));
    }

    @Test
    void eachBadSettingIsNamedInTheError() {
        assertThatThrownBy(() -> DaemonConfig.from(with("data-dir", "relative"), Map.of()))
                .hasMessageStartingWith("data-dir:");
        assertThatThrownBy(() -> DaemonConfig.from(with("stop-timeout", "soon"), Map.of()))
                .hasMessageStartingWith("stop-timeout:");
        assertThatThrownBy(() -> DaemonConfig.from(with("stop-timeout", "-1"), Map.of()))
                .hasMessageStartingWith("stop-timeout:");
        assertThatThrownBy(() -> DaemonConfig.from(with("tcp-listen", "nowhere"), Map.of()))
                .hasMessageStartingWith("tcp-listen:");
        assertThatThrownBy(() -> DaemonConfig.from(with("tcp-listen", "127.0.0.1:70000"), Map.of()))
                .hasMessageStartingWith("tcp-listen:");
        assertThatThrownBy(() -> DaemonConfig.from(with("runtime", "/nonexistent/runc"), Map.of()))
                .hasMessageStartingWith("runtime:");
        assertThatThrownBy(() -> DaemonConfig.from(with("data-dir", "/a,b"), Map.of()))
                .hasMessageStartingWith("data-dir:");
        assertThatThrownBy(() -> DaemonConfig.from(with("run-dir", "/" + "x".repeat(80)), Map.of()))
                .hasMessageStartingWith("run-dir:");
        assertThatThrownBy(() -> DaemonConfig.from(with("colour", "blue"), Map.of()))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("unknown setting");
    }

    @Test
    void aTcpListenerAddressIsParsed() {
        var c = DaemonConfig.from(with("tcp-listen", "127.0.0.1:8443"), Map.of());
        assertThat(c.tcpListen().getPort()).isEqualTo(8443);
        assertThat(c.tcpListen().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void theDefaultNetworkAndTheReservedPortsAreCheckedAtStartUp() {
        var c = DaemonConfig.from(TOOLS, Map.of());
        assertThat(c.defaultNetwork()).isEqualTo("10.88.0.0/16");
        assertThat(c.reservedPorts()).extracting(r -> r.port()).containsExactly(22);
        assertThat(DaemonConfig.from(with("default-network", "none"), Map.of()).defaultNetwork())
                .isNull();
        assertThat(DaemonConfig.from(with("reserved-ports", "none"), Map.of()).reservedPorts())
                .isEmpty();
        assertThatThrownBy(() -> DaemonConfig.from(with("default-network", "10.88.0.1/16"), Map.of()))
                .hasMessageStartingWith("default-network:");
        assertThatThrownBy(() -> DaemonConfig.from(with("reserved-ports", "22/sctp"), Map.of()))
                .hasMessageStartingWith("reserved-ports:");
    }

    @Test
    void downloadsGoOutFromTheHostsNamespaceUnlessTold() {
        // this JVM runs in the host's namespace, so "host" needs no nsenter here
        assertThat(DaemonConfig.from(TOOLS, Map.of()).downloads().namespace()).isEmpty();
        assertThat(DaemonConfig.from(with("download-netns", "self"), Map.of())
                        .downloads()
                        .namespace())
                .isEmpty();
        assertThat(DaemonConfig.from(TOOLS, Map.of()).cacheDir()).isEqualTo(Path.of("/var/cache/vessel"));
        assertThatThrownBy(() -> DaemonConfig.from(with("download-netns", "/run/netns/vt-none-such"), Map.of()))
                .hasMessageStartingWith("download-netns:");
        assertThatThrownBy(() -> DaemonConfig.from(with("download-netns", "elsewhere"), Map.of()))
                .hasMessageStartingWith("download-netns:");
    }
}
