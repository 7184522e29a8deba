package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpForwardingTest {
    @TempDir
    Path dir;

    /** A sysctl that remembers its value. */
    final AtomicReference<String> value = new AtomicReference<>("0");

    final FakeRunner runner = new FakeRunner(argv -> {
        String last = argv.get(argv.size() - 1);
        if (last.startsWith(IpForwarding.KEY + "=")) {
            value.set(last.substring(last.indexOf('=') + 1));
        }
        return FakeRunner.ok(argv, value.get() + "\n");
    });

    @Test
    void forwardingIsTurnedOnWhileNeededAndTheAdminsValueRestoredAfter() {
        var f = new IpForwarding(HostNet.host(runner), dir);
        f.update(true);
        assertThat(value.get()).isEqualTo("1");
        f.update(true);
        // a daemon restart in between still knows the previous value
        new IpForwarding(HostNet.host(runner), dir).update(false);
        assertThat(value.get()).isEqualTo("0");
        assertThat(dir.resolve("ip_forward.previous")).doesNotExist();
    }

    @Test
    void aHostThatAlreadyForwardsIsLeftAlone() {
        value.set("1");
        var f = new IpForwarding(HostNet.host(runner), dir);
        f.update(true);
        f.update(false);
        assertThat(value.get()).isEqualTo("1");
        assertThat(runner.lines()).noneMatch(l -> l.contains("-w"));
    }

    @Test
    void forwardingIsNeededForNatPeeringsOrPublishedPortsOnly() {
        var plain = NetworkSpec.parse("a", "10.1.0.0/24", null, false, false, List.of());
        assertThat(IpForwarding.needed(List.of(plain), List.of())).isFalse();
        assertThat(IpForwarding.needed(
                        List.of(NetworkSpec.parse("a", "10.1.0.0/24", null, true, false, List.of())), List.of()))
                .isTrue();
        assertThat(IpForwarding.needed(
                        List.of(NetworkSpec.parse("a", "10.1.0.0/24", null, false, false, List.of("b"))), List.of()))
                .isTrue();
        assertThat(IpForwarding.needed(List.of(plain), List.of(PortForward.parse("80:80", "web"))))
                .isTrue();
    }
}
