package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftRulesetTest {
    static final NetworkSpec WEB = NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of("db"));
    static final NetworkSpec DB = NetworkSpec.parse("db", "10.88.1.0/24", null, true, false, List.of());
    static final NetworkSpec LAB = NetworkSpec.parse("lab", "172.30.0.0/16", "172.30.255.254", false, true, List.of());

    static NftRuleset.ResolvedForward fwd(String spec, String target, String address) {
        return new NftRuleset.ResolvedForward(PortForward.parse(spec, target), Ipv4.parse(address));
    }

    @Test
    void withNothingToManageTheScriptOnlyRemovesVesselsOwnTables() throws Exception {
        String script = NftRuleset.render(List.of(), List.of());
        Golden.assertMatches("nft/empty.nft", script);
        assertThat(script).doesNotContain("flush ruleset");
    }

    @Test
    void oneNatNetworkGetsMasqueradeAndIsolationFromOtherBridges() throws Exception {
        Golden.assertMatches(
                "nft/one-network.nft",
                NftRuleset.render(
                        List.of(NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of())), List.of()));
    }

    @Test
    void networksPeeringsIsolationAndPortForwardsRenderDeterministically() throws Exception {
        var forwards = List.of(
                fwd("8080:80/tcp", "api", "10.88.0.2"),
                fwd("127.0.0.1:5432:5432", "pg", "10.88.1.2"),
                fwd("192.0.2.10:5353:53/udp", "dns", "172.30.0.5"));
        String script = NftRuleset.render(List.of(WEB, LAB, DB), forwards);
        Golden.assertMatches("nft/full.nft", script);
        assertThat(NftRuleset.render(List.of(DB, WEB, LAB), List.of(forwards.get(2), forwards.get(0), forwards.get(1))))
                .isEqualTo(script);
    }

    @Test
    void aPeeringListedOnOneSideOpensBothDirectionsAndUnknownPeersAreIgnored() {
        var a = NetworkSpec.parse("a", "10.1.0.0/24", null, false, false, List.of("b", "ghost"));
        var b = NetworkSpec.parse("b", "10.2.0.0/24", null, false, false, List.of());
        var peerings = NftRuleset.peerings(List.of(a, b));
        assertThat(peerings.get("a")).containsExactly("b");
        assertThat(peerings.get("b")).containsExactly("a");
    }
}
