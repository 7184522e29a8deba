package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamTest {
    static final NetworkSpec WEB = NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of());
    static final NetworkSpec TINY = NetworkSpec.parse("tiny", "10.99.0.0/29", null, true, false, List.of());

    @TempDir
    Path dir;

    static AllocationRequest req(String id, int nic) {
        return AllocationRequest.dynamic(new LeaseOwner(id, nic), "i-" + id);
    }

    @Test
    void addressesAreHandedOutInOrderSkippingTheGateway() {
        var ipam = new Ipam(new InMemoryIpamStore());
        assertThat(ipam.allocate(WEB, req("a", 0)).address()).hasToString("10.88.0.2");
        assertThat(ipam.allocate(WEB, req("b", 0)).address()).hasToString("10.88.0.3");
    }

    @Test
    void noAddressIsEverGivenTwiceAndAFullNetworkSaysSo() {
        var ipam = new Ipam(new InMemoryIpamStore());
        Set<Ipv4> seen = new HashSet<>();
        // /29: .1 is the gateway, .0 and .7 are network and broadcast: five addresses for instances
        for (int i = 0; i < 5; i++) {
            Lease l = ipam.allocate(TINY, req("i" + i, 0));
            assertThat(seen.add(l.address())).isTrue();
            assertThat(TINY.assignable(l.address())).isTrue();
        }
        assertThatThrownBy(() -> ipam.allocate(TINY, req("i5", 0)))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IN_USE))
                .hasMessage("network 'tiny' (10.99.0.0/29) has no free address");
    }

    @Test
    void allocationIsIdempotentPerOwner() {
        var ipam = new Ipam(new InMemoryIpamStore());
        Lease first = ipam.allocate(WEB, req("a", 0));
        assertThat(ipam.allocate(WEB, req("a", 0))).isEqualTo(first);
        assertThat(ipam.allocate(WEB, req("a", 1)).address()).isNotEqualTo(first.address());
        assertThat(ipam.leases("web")).hasSize(2);
    }

    @Test
    void aReleasedAddressIsFreeAgain() {
        var ipam = new Ipam(new InMemoryIpamStore());
        Lease a = ipam.allocate(WEB, req("a", 0));
        ipam.allocate(WEB, req("b", 0));
        assertThat(ipam.releaseInstance("a")).containsExactly(a);
        assertThat(ipam.allocate(WEB, req("c", 0)).address()).isEqualTo(a.address());
    }

    @Test
    void leasesSurviveANewIpamOnTheSameFile() throws Exception {
        Path file = dir.resolve("ipam.json");
        Lease a = new Ipam(new JsonFileIpamStore(file)).allocate(WEB, req("a", 0));
        Lease b = new Ipam(new JsonFileIpamStore(file))
                .allocate(WEB, new AllocationRequest(new LeaseOwner("b", 0), "bee", Ipv4.parse("10.88.0.9"), null));

        var fresh = new Ipam(new JsonFileIpamStore(file));
        assertThat(fresh.leases("web")).containsExactly(a, b);
        assertThat(fresh.allocate(WEB, req("a", 0))).isEqualTo(a);
        assertThat(fresh.allocate(WEB, req("c", 0)).address()).hasToString("10.88.0.3");
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
    }

    @Test
    void aStaticAddressMustBeAnInstanceAddressOfTheSubnet() {
        var ipam = new Ipam(new InMemoryIpamStore());
        for (String[] c : new String[][] {
            {"10.88.1.5", "ip: 10.88.1.5 is outside network 'web' (10.88.0.0/24)"},
            {"10.88.0.0", "ip: 10.88.0.0 is the network address of 10.88.0.0/24"},
            {"10.88.0.255", "ip: 10.88.0.255 is the broadcast address of 10.88.0.0/24"},
            {"10.88.0.1", "ip: 10.88.0.1 is the gateway of network 'web'"},
        }) {
            var r = new AllocationRequest(new LeaseOwner("a", 0), "web1", Ipv4.parse(c[0]), null);
            assertThatThrownBy(() -> ipam.allocate(WEB, r))
                    .isInstanceOf(VesselException.class)
                    .hasMessage(c[1]);
        }
        assertThat(ipam.leases()).isEmpty();
    }

    @Test
    void aTakenStaticAddressNamesItsHolder() {
        var ipam = new Ipam(new InMemoryIpamStore());
        ipam.allocate(WEB, new AllocationRequest(new LeaseOwner("id-db", 0), "db", Ipv4.parse("10.88.0.10"), null));
        var r = new AllocationRequest(new LeaseOwner("id-web", 0), "web", Ipv4.parse("10.88.0.10"), null);
        assertThatThrownBy(() -> ipam.allocate(WEB, r))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IN_USE))
                .hasMessage("10.88.0.10 in network 'web' is already held by 'db' (id-db/nic0)");
    }

    @Test
    void dynamicAllocationStepsAroundStaticOnes() {
        var ipam = new Ipam(new InMemoryIpamStore());
        ipam.allocate(WEB, new AllocationRequest(new LeaseOwner("s", 0), "s", Ipv4.parse("10.88.0.2"), null));
        assertThat(ipam.allocate(WEB, req("a", 0)).address()).hasToString("10.88.0.3");
    }

    @Test
    void anOwnerCannotAskForADifferentAddressOrNetworkThanItHolds() {
        var ipam = new Ipam(new InMemoryIpamStore());
        ipam.allocate(WEB, req("a", 0));
        var other = new AllocationRequest(new LeaseOwner("a", 0), "i-a", Ipv4.parse("10.88.0.50"), null);
        assertThatThrownBy(() -> ipam.allocate(WEB, other))
                .hasMessage("a/nic0 already holds 10.88.0.2, not 10.88.0.50");
        assertThatThrownBy(() -> ipam.allocate(TINY, req("a", 0)))
                .hasMessage("a/nic0 already holds 10.88.0.2 in network 'web'");
    }

    @Test
    void aUserMacIsKeptAndATakenOneNamesItsHolder() {
        var ipam = new Ipam(new InMemoryIpamStore());
        MacAddress mac = MacAddress.parse("mac", "02:00:00:00:00:01");
        assertThat(ipam.allocate(WEB, new AllocationRequest(new LeaseOwner("a", 0), "alpha", null, mac))
                        .mac())
                .isEqualTo(mac);
        assertThatThrownBy(() -> ipam.allocate(WEB, new AllocationRequest(new LeaseOwner("b", 0), "beta", null, mac)))
                .hasMessage("MAC 02:00:00:00:00:01 is already held by 'alpha' (a/nic0)");
    }

    @Test
    void reconcileFreesLeasesWhoseInstancesAreGone() {
        var ipam = new Ipam(new InMemoryIpamStore());
        ipam.allocate(WEB, req("live", 0));
        Lease crashed = ipam.allocate(WEB, req("crashed", 0));
        Lease crashed2 = ipam.allocate(TINY, req("crashed", 1));
        assertThat(ipam.reconcile(Set.of("live"))).containsExactlyInAnyOrder(crashed, crashed2);
        assertThat(ipam.leases()).extracting(l -> l.owner().instanceId()).containsExactly("live");
    }

    @Test
    void concurrentAllocationsThroughTwoStoresOnOneFileNeverShareAnAddress() throws Exception {
        Path file = dir.resolve("ipam.json");
        var ipams = List.of(new Ipam(new JsonFileIpamStore(file)), new Ipam(new JsonFileIpamStore(file)));
        var got = new ConcurrentLinkedQueue<Lease>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                futures.add(pool.submit(() -> got.add(ipams.get(n % 2).allocate(WEB, req("x" + n, 0)))));
            }
            for (var f : futures) {
                f.get();
            }
        }
        assertThat(got).extracting(Lease::address).doesNotHaveDuplicates().hasSize(40);
        assertThat(got).extracting(Lease::mac).doesNotHaveDuplicates();
        assertThat(new JsonFileIpamStore(file).list()).hasSize(40);
    }
}
