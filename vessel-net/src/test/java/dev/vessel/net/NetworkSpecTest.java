package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {
    @Test
    void theGatewayDefaultsToTheFirstHostAddress() {
        var spec = NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of());
        assertThat(spec.gateway()).hasToString("10.88.0.1");
    }

    @Test
    void aGivenGatewayMustBeAHostAddressOfTheSubnet() {
        assertThat(NetworkSpec.parse("web", "10.88.0.0/24", "10.88.0.254", true, false, List.of())
                        .gateway())
                .hasToString("10.88.0.254");
        assertThatThrownBy(() -> NetworkSpec.parse("web", "10.88.0.0/24", "10.88.1.1", true, false, List.of()))
                .hasMessage("gateway: 10.88.1.1 is outside 10.88.0.0/24");
        assertThatThrownBy(() -> NetworkSpec.parse("web", "10.88.0.0/24", "10.88.0.0", true, false, List.of()))
                .hasMessage("gateway: 10.88.0.0 is the network address of 10.88.0.0/24");
        assertThatThrownBy(() -> NetworkSpec.parse("web", "10.88.0.0/24", "10.88.0.255", true, false, List.of()))
                .hasMessage("gateway: 10.88.0.255 is the broadcast address of 10.88.0.0/24");
    }

    @Test
    void theNameMustBeADnsLabel() {
        assertThatThrownBy(() -> NetworkSpec.parse("Web_1", "10.88.0.0/24", null, true, false, List.of()))
                .isInstanceOf(VesselException.class)
                .hasMessageStartingWith("name:");
    }

    @Test
    void anIsolatedNetworkCannotHaveNat() {
        assertThatThrownBy(() -> NetworkSpec.parse("web", "10.88.0.0/24", null, true, true, List.of()))
                .hasMessageStartingWith("nat: an isolated network cannot have NAT");
    }

    @Test
    void peersAreValidatedSortedAndDeduplicated() {
        var spec = NetworkSpec.parse("web", "10.88.0.0/24", null, false, false, List.of("db", "cache", "db"));
        assertThat(spec.peers()).containsExactly("cache", "db");
        assertThatThrownBy(() -> NetworkSpec.parse("web", "10.88.0.0/24", null, false, false, List.of("web")))
                .hasMessage("peers: a network cannot peer with itself");
    }

    @Test
    void anOverlappingSubnetIsRefusedNamingTheOtherNetwork() {
        var db = NetworkSpec.parse("db", "10.88.1.0/24", null, true, false, List.of());
        var other = NetworkSpec.parse("other", "192.168.5.0/24", null, true, false, List.of());
        var web = NetworkSpec.parse("web", "10.88.0.0/16", null, true, false, List.of());
        assertThatThrownBy(() -> web.requireNoOverlap(List.of(other, db)))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IN_USE))
                .hasMessage("subnet 10.88.0.0/16 overlaps network 'db' (10.88.1.0/24)");
        NetworkSpec.parse("web", "10.89.0.0/16", null, true, false, List.of()).requireNoOverlap(List.of(other, db));
    }

    @Test
    void theBridgeNameFitsInFifteenCharactersAndCarriesThePrefix() {
        var spec = NetworkSpec.parse(
                "a-very-long-network-name-that-is-still-a-valid-dns-label-ok",
                "10.88.0.0/24",
                null,
                true,
                false,
                List.of());
        assertThat(spec.bridge()).startsWith("vsl-b").hasSize(15);
        assertThat(spec.bridge()).isEqualTo(HostNames.bridge(spec.name())).isNotEqualTo(HostNames.bridge("web"));
    }

    @Test
    void aSpecRoundTripsThroughJson() {
        var spec = NetworkSpec.parse("web", "10.88.0.0/24", "10.88.0.254", false, true, List.of("db"));
        String json = dev.vessel.host.Json.write(spec);
        assertThat(json)
                .isEqualTo(
                        "{\"name\":\"web\",\"subnet\":\"10.88.0.0/24\",\"gateway\":\"10.88.0.254\",\"nat\":false,\"isolated\":true,\"peers\":[\"db\"]}");
        assertThat(dev.vessel.host.Json.readStored(json, NetworkSpec.class)).isEqualTo(spec);
    }

    @Test
    void theSameNameInTwoProjectsIsTwoBridgesWhoseNamesFitIfnamsiz() {
        var plain = NetworkSpec.parse("lan", "10.70.0.0/24", null, true, false, List.of());
        var a = NetworkSpec.parse("lan.a", "10.71.0.0/24", null, true, false, List.of());
        var b = NetworkSpec.parse("lan.b", "10.72.0.0/24", null, true, false, List.of());
        String longest = "n".repeat(63) + "." + "p".repeat(63);
        var c = NetworkSpec.parse(longest, "10.73.0.0/24", null, true, false, List.of());
        assertThat(java.util.Set.of(plain.bridge(), a.bridge(), b.bridge(), c.bridge()))
                .hasSize(4)
                .allSatisfy(
                        br -> assertThat(br).startsWith(HostNames.BRIDGE_PREFIX).hasSize(15));
        // The default project's networks keep the bridges they had: the key is the bare name.
        assertThat(plain.bridge())
                .isEqualTo("vsl-b" + java.util.HexFormat.of().formatHex(MacAddresses.sha256("network/lan"), 0, 5));
        assertThatThrownBy(() -> NetworkSpec.parse("lan.default", "10.74.0.0/24", null, true, false, List.of()))
                .isInstanceOf(dev.vessel.core.error.VesselException.class);
        assertThatThrownBy(() -> a.requireNoOverlap(
                        List.of(NetworkSpec.parse("wan.b", "10.71.0.0/16", null, true, false, List.of()))))
                .hasMessage("subnet 10.71.0.0/24 overlaps network 'wan' of project 'b' (10.71.0.0/16)");
    }
}
