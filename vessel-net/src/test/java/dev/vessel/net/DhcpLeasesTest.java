package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DhcpLeasesTest {
    static final String FILE = """
            1764676083 0a:56:65:45:73:06 10.88.0.2 demo 01:0a:56:65:45:73:06
            1764676100 0A:56:65:00:00:01 10.88.0.3 * *
            duid 00:01:00:01:2c:3e:4f:5a:0a:56:65:00:00:09
            garbage
            """;

    @Test
    void linesBecomeLeasesByMac() {
        var leases = DhcpLeases.parse(FILE);
        assertThat(leases).containsOnlyKeys("0a:56:65:45:73:06", "0a:56:65:00:00:01");
        var demo = leases.get("0a:56:65:45:73:06");
        assertThat(demo.address()).isEqualTo("10.88.0.2");
        assertThat(demo.hostname()).isEqualTo("demo");
        assertThat(demo.expires()).isEqualTo(Instant.ofEpochSecond(1764676083));
        assertThat(demo.grantedAt()).isEqualTo(Instant.ofEpochSecond(1764676083 - 3600));
        assertThat(leases.get("0a:56:65:00:00:01").hostname()).isNull();
    }

    @Test
    void onlyAnUnexpiredLeaseOfTheSameAddressCounts() {
        var leases = DhcpLeases.parse(FILE);
        Instant before = Instant.ofEpochSecond(1764676000);
        assertThat(DhcpLeases.current(leases, "0A:56:65:45:73:06", "10.88.0.2", before))
                .isPresent();
        assertThat(DhcpLeases.current(leases, "0a:56:65:45:73:06", "10.88.0.9", before))
                .as("another address")
                .isEmpty();
        assertThat(DhcpLeases.current(leases, "0a:56:65:45:73:06", "10.88.0.2", Instant.ofEpochSecond(1764676083)))
                .as("expired")
                .isEmpty();
        assertThat(DhcpLeases.current(leases, "0a:56:65:99:99:99", "10.88.0.2", before))
                .isEmpty();
    }

    @Test
    void aMissingFileHasNoLeases() {
        assertThat(DhcpLeases.read(java.nio.file.Path.of("/nonexistent/dnsmasq.leases")))
                .isEmpty();
    }
}
