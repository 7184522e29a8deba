package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manager's ordering and undo logic against a fake host; the real thing is in {@link NetworkIT}. */
class NetworkManagerTest {
    @TempDir
    Path state;

    final InMemoryNetworkStore store = new InMemoryNetworkStore();

    FakeProc proc;

    @BeforeEach
    void setUp() throws Exception {
        Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        proc = new FakeProc(Files.createDirectories(state.resolve("proc")));
    }

    /** A fake host on which every command works except those containing {@code failing}. */
    FakeRunner runner(String failing) {
        return new FakeRunner(argv -> {
            String line = String.join(" ", argv);
            if (line.contains(failing)) {
                return new ProcessRunner.Result(argv, 1, "", "boom");
            }
            if (argv.get(0).equals("kill")) {
                exited(Long.parseLong(argv.get(3)));
            }
            if (line.contains("/usr/sbin/dnsmasq")) {
                startedDnsmasq(argv.subList(argv.indexOf("/usr/sbin/dnsmasq"), argv.size()));
            }
            if (line.contains("link show dev")) {
                return new ProcessRunner.Result(argv, 1, "", "Device does not exist"); // nothing exists yet
            }
            return FakeRunner.ok(argv, line.contains("route show") ? "[]" : "0\n");
        });
    }

    /** What dnsmasq does before its parent exits: the child runs and has written its pid file. */
    void startedDnsmasq(List<String> argv) {
        try {
            proc.process(4242, "net:[1]", argv.toArray(String[]::new));
            Files.writeString(DnsmasqFiles.of(state.resolve("state"), "web").pid(), "4242\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void exited(long pid) {
        try {
            proc.exit(pid);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    NetworkManager manager(FakeRunner runner) {
        return new NetworkManager(
                HostNet.inNamespace(runner, "vt-x"),
                state.resolve("state"),
                store,
                new InMemoryIpamStore(),
                proc.procFs());
    }

    @Test
    void aNetworkWhoseDnsmasqCannotStartLeavesNoBridgeAndNoRecord() {
        var runner = runner("/usr/sbin/dnsmasq");
        var spec = NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of());
        assertThatThrownBy(() -> manager(runner).create(spec))
                .hasMessageContaining("dnsmasq for network 'web' did not start");
        assertThat(store.networks()).isEmpty();
        assertThat(runner.lines()).contains("ip netns exec vt-x ip link del dev " + spec.bridge());
        assertThat(runner.lines()).noneMatch(l -> l.contains("nft"));
        assertThat(DnsmasqFiles.of(state.resolve("state"), "web").dir()).doesNotExist();
    }

    @Test
    void aNetworkWhoseRulesFailIsRemovedFromStoreAndHostAgain() {
        var runner = runner("nft -f -");
        var spec = NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of());
        var m = manager(runner);
        assertThatThrownBy(() -> m.create(spec)).hasMessageContaining("nft -f ... exited with 1: boom");
        assertThat(store.networks()).isEmpty();
        assertThat(runner.lines()).last().isEqualTo("ip netns exec vt-x ip link del dev " + spec.bridge());
    }

    @Test
    void theBridgeIsBuiltBeforeDnsmasqAndRulesComeLast() {
        var runner = runner("never-fails");
        var spec = NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of());
        manager(runner).create(spec);
        String br = spec.bridge();
        assertThat(runner.lines())
                .containsSubsequence(
                        "ip netns exec vt-x ip -j -4 route show table main",
                        "ip netns exec vt-x ip link add name " + br + " address "
                                + MacAddresses.generate(new LeaseOwner("network:web", 0), java.util.Set.of())
                                + " type bridge",
                        "ip netns exec vt-x ip addr add 10.88.0.1/24 broadcast 10.88.0.255 dev " + br,
                        "ip netns exec vt-x sysctl -q -w net.ipv4.conf." + br + ".route_localnet=1",
                        "ip netns exec vt-x ip link set dev " + br + " up",
                        "ip netns exec vt-x /usr/sbin/dnsmasq --conf-file="
                                + DnsmasqFiles.of(state.resolve("state"), "web").config(),
                        "ip netns exec vt-x nft -f -",
                        "ip netns exec vt-x sysctl -n net.ipv4.ip_forward",
                        "ip netns exec vt-x sysctl -q -w net.ipv4.ip_forward=1");
    }

    @Test
    void aSecondNetworkWithTheSameNameOrAnOverlappingSubnetIsRefusedBeforeTouchingTheHost() {
        store.insert(NetworkSpec.parse("db", "10.88.0.0/16", null, true, false, List.of()));
        var runner = runner("never-fails");
        var m = manager(runner);
        assertThatThrownBy(() -> m.create(NetworkSpec.parse("db", "10.99.0.0/24", null, true, false, List.of())))
                .hasMessage("network 'db' already exists");
        assertThatThrownBy(() -> m.create(NetworkSpec.parse("web", "10.88.5.0/24", null, true, false, List.of())))
                .hasMessage("subnet 10.88.5.0/24 overlaps network 'db' (10.88.0.0/16)");
        assertThat(runner.calls).isEmpty();
    }
}
