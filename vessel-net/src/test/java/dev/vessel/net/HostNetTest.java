package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostNetTest {
    @Test
    void inANamespaceEveryHostCommandIsPrefixedWithIpNetnsExec() {
        var runner = new FakeRunner(argv -> FakeRunner.ok(argv, "1\n"));
        var host = HostNet.inNamespace(runner, "vt-1234");
        host.ip("link", "show");
        host.nft("table inet vessel\n");
        host.sysctl("net.ipv4.ip_forward", "1");
        assertThat(host.sysctl("net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(runner.lines())
                .containsExactly(
                        "ip netns exec vt-1234 ip link show",
                        "ip netns exec vt-1234 nft -f -",
                        "ip netns exec vt-1234 sysctl -q -w net.ipv4.ip_forward=1",
                        "ip netns exec vt-1234 sysctl -n net.ipv4.ip_forward");
        assertThat(runner.calls.get(1).stdin()).isEqualTo("table inet vessel\n");
    }

    @Test
    void onTheHostCommandsRunAsTheyAre() {
        var runner = new FakeRunner(argv -> FakeRunner.ok(argv, ""));
        HostNet.host(runner).ip("link", "show");
        assertThat(runner.lines()).containsExactly("ip link show");
    }

    @Test
    void commandsForAContainerEnterItsNamespaceByFileWithoutThePrefix() {
        var runner = new FakeRunner(argv -> FakeRunner.ok(argv, ""));
        var host = HostNet.inNamespace(runner, "vt-1234");
        host.inside(new NetnsRef.Pid(42), "ip", "link", "set", "dev", "eth0", "up");
        host.inside(new NetnsRef.Named("vt-ctr"), "ip", "addr");
        assertThat(runner.lines())
                .containsExactly(
                        "nsenter --net=/proc/42/ns/net -- ip link set dev eth0 up",
                        "nsenter --net=/run/netns/vt-ctr -- ip addr");
    }

    @Test
    void aBadNamespaceNameIsRefused() {
        var runner = new FakeRunner(argv -> FakeRunner.ok(argv, ""));
        assertThatThrownBy(() -> HostNet.inNamespace(runner, "../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThat(runner.calls).isEmpty();
    }
}
