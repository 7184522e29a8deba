package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortForwardTest {
    static final String SS = """
            udp   UNCONN 0      0          10.88.0.1:53        0.0.0.0:*    users:(("dnsmasq",pid=812,fd=6))
            udp   UNCONN 0      0      0.0.0.0%vsl-b0123456789:67  0.0.0.0:*    users:(("dnsmasq",pid=812,fd=4))
            udp   UNCONN 0      0      127.0.0.53%lo:53    0.0.0.0:*    users:(("systemd-resolve",pid=301,fd=13))
            tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:(("sshd",pid=123,fd=3))
            tcp   LISTEN 0      128             [::]:22           [::]:*    users:(("sshd",pid=123,fd=4))
            tcp   LISTEN 0      4096       127.0.0.1:9000      0.0.0.0:*    users:(("php-fpm",pid=77,fd=8),("php-fpm",pid=78,fd=8))
            tcp   LISTEN 0      511                *:3000            *:*    users:(("node",pid=4242,fd=20))
            tcp   LISTEN 0      64           0.0.0.0:2049      0.0.0.0:*
            """;

    @Test
    void theCliFormParses() {
        assertThat(PortForward.parse("8080:80", "web")).isEqualTo(new PortForward(null, 8080, Protocol.TCP, "web", 80));
        assertThat(PortForward.parse("127.0.0.1:8443:443/tcp", "web"))
                .isEqualTo(new PortForward(Ipv4.parse("127.0.0.1"), 8443, Protocol.TCP, "web", 443));
        assertThat(PortForward.parse("5353:53/UDP", "dns").protocol()).isEqualTo(Protocol.UDP);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "8080:80/sctp      | port: unknown protocol 'sctp': use tcp or udp",
                "8080:80/          | port: unknown protocol '': use tcp or udp",
                "0:80              | port: 0 is outside 1..65535",
                "8080:65536        | port: 65536 is outside 1..65535",
                "8080:-1           | port: '-1' is not a port number",
                "80                | port: '80' is not HOST_PORT:TARGET_PORT or HOST_IP:HOST_PORT:TARGET_PORT",
                "a:b:c:d           | port: 'a:b:c:d' is not HOST_PORT:TARGET_PORT or HOST_IP:HOST_PORT:TARGET_PORT",
                "300.0.0.1:80:80   | port: '300.0.0.1' is not an IPv4 address (300 > 255)",
                "http:80           | port: 'http' is not a port number",
            })
    void badMappingsAreRefused(String spec, String message) {
        assertThatThrownBy(() -> PortForward.parse(spec, "web"))
                .isInstanceOf(VesselException.class)
                .hasMessage(message);
    }

    @Test
    void portsOutOfRangeAreRefusedByTheRecordToo() {
        assertThatThrownBy(() -> new PortForward(null, 70000, Protocol.TCP, "web", 80))
                .hasMessage("hostPort: 70000 is outside 1..65535");
        assertThatThrownBy(() -> new PortForward(null, 80, Protocol.TCP, "web", 0))
                .hasMessage("targetPort: 0 is outside 1..65535");
    }

    @Test
    void aSecondForwardOfThePortNamesTheInstanceItGoesTo() {
        var existing = List.of(PortForward.parse("8080:80", "db"));
        assertThatThrownBy(() -> PortConflicts.check(PortForward.parse("8080:8080", "web"), existing, List.of()))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IN_USE))
                .hasMessage("port 8080/tcp is already forwarded to 'db'");
        assertThatThrownBy(
                        () -> PortConflicts.check(PortForward.parse("127.0.0.1:8080:80", "web"), existing, List.of()))
                .hasMessage("port 127.0.0.1:8080/tcp is already forwarded to 'db'");
        // another protocol, or another specific address, is a different forward
        PortConflicts.check(PortForward.parse("8080:80/udp", "web"), existing, List.of());
        PortConflicts.check(
                PortForward.parse("10.0.0.1:9090:80", "web"),
                List.of(PortForward.parse("10.0.0.2:9090:80", "db")),
                List.of());
    }

    @Test
    void aPortAHostProgramListensOnNamesTheProgramAndPid() {
        var listeners = SocketListing.parse(SS);
        assertThatThrownBy(() -> PortConflicts.check(PortForward.parse("22:22", "web"), List.of(), listeners))
                .hasMessage("port 22/tcp is in use by sshd (pid 123)");
        assertThatThrownBy(() -> PortConflicts.check(PortForward.parse("9000:80", "web"), List.of(), listeners))
                .hasMessage("port 9000/tcp is in use by php-fpm (pid 77)");
        assertThatThrownBy(
                        () -> PortConflicts.check(PortForward.parse("192.0.2.1:3000:80", "web"), List.of(), listeners))
                .hasMessage("port 192.0.2.1:3000/tcp is in use by node (pid 4242)");
        assertThatThrownBy(() -> PortConflicts.check(PortForward.parse("67:67/udp", "web"), List.of(), listeners))
                .hasMessage("port 67/udp is in use by dnsmasq (pid 812)");
        assertThatThrownBy(() -> PortConflicts.check(PortForward.parse("2049:2049", "web"), List.of(), listeners))
                .hasMessage("port 2049/tcp is in use by a socket on 0.0.0.0 (owner unknown)");
    }

    @Test
    void aListenerOnAnotherAddressDoesNotBlockAForwardOnASpecificOne() {
        var listeners = SocketListing.parse(SS);
        PortConflicts.check(PortForward.parse("192.0.2.1:9000:80", "web"), List.of(), listeners);
        PortConflicts.check(PortForward.parse("192.0.2.1:53:53/udp", "web"), List.of(), listeners);
        PortConflicts.check(PortForward.parse("22:22/udp", "web"), List.of(), listeners);
    }

    @Test
    void ssOutputIsParsedIncludingScopesBracketsAndMissingProcesses() {
        assertThat(SocketListing.parse(SS))
                .containsExactly(
                        new Listener(Protocol.UDP, "10.88.0.1", 53, "dnsmasq", 812),
                        new Listener(Protocol.UDP, "0.0.0.0", 67, "dnsmasq", 812),
                        new Listener(Protocol.UDP, "127.0.0.53", 53, "systemd-resolve", 301),
                        new Listener(Protocol.TCP, "0.0.0.0", 22, "sshd", 123),
                        new Listener(Protocol.TCP, "::", 22, "sshd", 123),
                        new Listener(Protocol.TCP, "127.0.0.1", 9000, "php-fpm", 77),
                        new Listener(Protocol.TCP, "*", 3000, "node", 4242),
                        new Listener(Protocol.TCP, "0.0.0.0", 2049, null, 0));
    }
}
