package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    @ParameterizedTest
    @CsvSource({
        "10.88.0.0/24, 10.88.0.0, 255.255.255.0, 10.88.0.255, 10.88.0.1, 10.88.0.254",
        "10.0.0.0/8, 10.0.0.0, 255.0.0.0, 10.255.255.255, 10.0.0.1, 10.255.255.254",
        "192.168.7.4/30, 192.168.7.4, 255.255.255.252, 192.168.7.7, 192.168.7.5, 192.168.7.6",
        "172.16.0.0/12, 172.16.0.0, 255.240.0.0, 172.31.255.255, 172.16.0.1, 172.31.255.254",
    })
    void aSubnetKnowsItsNetmaskBroadcastAndHostRange(
            String text, String network, String mask, String broadcast, String first, String last) {
        Cidr c = Cidr.parseSubnet("subnet", text);
        assertThat(c.network()).hasToString(network);
        assertThat(c.netmask()).hasToString(mask);
        assertThat(c.broadcast()).hasToString(broadcast);
        assertThat(c.firstHost()).hasToString(first);
        assertThat(c.lastHost()).hasToString(last);
        assertThat(c).hasToString(text);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10.88.0.1/24      | has host bits set; did you mean 10.88.0.0/24?",
                "10.88.0.0         | has no prefix length",
                "10.88.0.0/        | bad prefix length",
                "10.88.0.0/33      | bad prefix length",
                "10.88.0.0/-1      | bad prefix length",
                "10.88.0.0/0x18    | bad prefix length",
                "10.88.0/24        | not an IPv4 address",
                "10.88.0.256/24    | not an IPv4 address",
                "010.88.0.0/24     | not an IPv4 address",
                "10.88.0.0.0/24    | not an IPv4 address",
                "fd00::/64         | not an IPv4 address",
                "10.0.0.0/7        | prefix /7 is outside /8../30",
                "10.88.0.0/31      | prefix /31 is outside /8../30",
                "10.88.0.1/32      | prefix /32 is outside /8../30",
                "' 10.88.0.0/24'   | not an IPv4 address",
            })
    void badSubnetsAreRefusedWithAReason(String text, String reason) {
        assertThatThrownBy(() -> Cidr.parseSubnet("subnet", text))
                .isInstanceOf(VesselException.class)
                .hasMessageStartingWith("subnet:")
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource({
        "10.88.0.0/24,   10.88.0.0/24,  true",
        "10.88.0.0/24,   10.88.1.0/24,  false",
        "10.88.0.0/16,   10.88.1.0/24,  true",
        "10.88.1.0/24,   10.88.0.0/16,  true",
        "10.0.0.0/8,     10.255.255.252/30, true",
        "10.88.0.0/24,   10.88.0.128/25, true",
        "10.88.0.0/25,   10.88.0.128/25, false",
        "192.168.0.0/16, 10.0.0.0/8,    false",
        "172.16.0.0/12,  172.32.0.0/16, false",
        "172.16.0.0/12,  172.31.255.0/24, true",
    })
    void overlapIsSymmetricAndFollowsTheShorterPrefix(String a, String b, boolean overlaps) {
        Cidr x = Cidr.parseSubnet("a", a);
        Cidr y = Cidr.parseSubnet("b", b);
        assertThat(x.overlaps(y)).isEqualTo(overlaps);
        assertThat(y.overlaps(x)).isEqualTo(overlaps);
    }

    @Test
    void hostAddressesExcludeNetworkAndBroadcast() {
        Cidr c = Cidr.parseSubnet("subnet", "10.88.0.0/24");
        assertThat(c.isHost(Ipv4.parse("10.88.0.0"))).isFalse();
        assertThat(c.isHost(Ipv4.parse("10.88.0.255"))).isFalse();
        assertThat(c.isHost(Ipv4.parse("10.88.0.1"))).isTrue();
        assertThat(c.isHost(Ipv4.parse("10.88.1.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "10.88.0.1", "192.168.100.200"})
    void addressesRoundTripAndOrderUnsigned(String text) {
        assertThat(Ipv4.parse(text)).hasToString(text);
        assertThat(Ipv4.parse("200.0.0.0")).isGreaterThan(Ipv4.parse("10.0.0.0"));
    }
}
