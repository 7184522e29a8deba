package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.testing.Golden;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsmasqConfigTest {
    static final DnsmasqFiles FILES = DnsmasqFiles.of(Path.of("/var/lib/vessel"), "web");

    static Lease lease(String ip, String id, String name) {
        var owner = new LeaseOwner(id, 0);
        return new Lease("web", Ipv4.parse(ip), owner, MacAddresses.generate(owner, java.util.Set.of()), name);
    }

    @Test
    void theConfigServesOnlyTheBridgeAndForwardsNothingUpstream() throws Exception {
        var spec = NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of());
        String conf = DnsmasqConfig.config(spec, FILES);
        Golden.assertMatches("dnsmasq/web.conf", conf);
        assertThat(conf)
                .contains(
                        "no-resolv\n",
                        "interface=" + spec.bridge() + "\n",
                        "except-interface=lo\n",
                        "bind-interfaces\n")
                .doesNotContainPattern("(?m)^server=");
    }

    @Test
    void anIsolatedNetworkAdvertisesNoRouter() throws Exception {
        var spec = NetworkSpec.parse("web", "172.30.0.0/16", "172.30.255.254", false, true, List.of());
        Golden.assertMatches("dnsmasq/isolated.conf", DnsmasqConfig.config(spec, FILES));
    }

    @Test
    void hostFilesPinEachLeaseToItsMacAndName() throws Exception {
        var leases = List.of(lease("10.88.0.10", "id-db", "db"), lease("10.88.0.2", "id-web", "web"));
        Golden.assertMatches("dnsmasq/web.dhcp-hosts", DnsmasqConfig.dhcpHosts(leases));
        Golden.assertMatches("dnsmasq/web.hosts", DnsmasqConfig.hosts(leases));
    }

    @Test
    void theArgvNamesTheConfigSoProcCanIdentifyTheProcess() {
        assertThat(FILES.argv())
                .containsExactly("/usr/sbin/dnsmasq", "--conf-file=/var/lib/vessel/networks/web/dnsmasq.conf");
    }

    @Test
    void releasedLeasesLeaveTheLeaseFileByAddressOrMac() {
        Lease gone = lease("10.88.0.2", "id-web", "web");
        String file = "1700000000 " + gone.mac() + " 10.88.0.2 web 01:" + gone.mac() + "\n"
                + "1700000000 0a:56:65:00:00:01 10.88.0.3 db *\n"
                + "1700000000 0a:56:65:00:00:02 10.88.0.2 stale *\n"
                + "1700000000 " + gone.mac().value().toUpperCase(java.util.Locale.ROOT) + " 10.88.0.9 old *\n";
        assertThat(DnsmasqConfig.withoutLeases(file, List.of(gone)))
                .isEqualTo("1700000000 0a:56:65:00:00:01 10.88.0.3 db *\n");
        assertThat(DnsmasqConfig.withoutLeases(file, List.of())).isEqualTo(file);
    }
}
