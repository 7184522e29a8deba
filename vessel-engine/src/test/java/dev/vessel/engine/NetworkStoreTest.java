package dev.vessel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.engine.net.ManagementPorts;
import dev.vessel.engine.store.Database;
import dev.vessel.engine.store.SqliteIpamStore;
import dev.vessel.engine.store.SqliteNetworkStore;
import dev.vessel.net.AllocationRequest;
import dev.vessel.net.Ipam;
import dev.vessel.net.Ipv4;
import dev.vessel.net.Lease;
import dev.vessel.net.LeaseOwner;
import dev.vessel.net.MacAddress;
import dev.vessel.net.NetworkSpec;
import dev.vessel.net.PortForward;
import dev.vessel.net.Reservation;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Networks, leases and forwards in SQLite: never an address or MAC twice, and all of it survives a reopen. */
class NetworkStoreTest {
    @TempDir
    Path dir;

    static final NetworkSpec WEB = NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of());

    Lease lease(String ip, String id, String mac) {
        return new Lease("web", Ipv4.parse(ip), new LeaseOwner(id, 0), new MacAddress(mac), "n" + id);
    }

    @Test
    void anAddressAMacAndAnOwnerAreEachHeldOnce() {
        try (var db = new Database(dir.resolve("v.db"))) {
            new SqliteNetworkStore(db).insert(WEB);
            var ipam = new SqliteIpamStore(db);
            assertThat(ipam.reserve(lease("10.88.0.2", "a", "0a:56:65:00:00:01")))
                    .isInstanceOf(Reservation.Reserved.class);
            assertThat(ipam.reserve(lease("10.88.0.2", "b", "0a:56:65:00:00:02")))
                    .isInstanceOf(Reservation.AddressTaken.class);
            assertThat(ipam.reserve(lease("10.88.0.3", "b", "0a:56:65:00:00:01")))
                    .isInstanceOf(Reservation.MacTaken.class);
            assertThat(ipam.reserve(lease("10.88.0.9", "a", "0a:56:65:00:00:09")))
                    .isInstanceOf(Reservation.AlreadyHeld.class);
            assertThat(ipam.list()).hasSize(1);
        }
    }

    @Test
    void leasesSurviveAReopenAndAllocationContinuesWhereItStopped() {
        try (var db = new Database(dir.resolve("v.db"))) {
            new SqliteNetworkStore(db).insert(WEB);
            var ipam = new Ipam(new SqliteIpamStore(db));
            for (int i = 0; i < 10; i++) {
                ipam.allocate(WEB, AllocationRequest.dynamic(new LeaseOwner("id" + i, 0), "vm" + i));
            }
        }
        try (var db = new Database(dir.resolve("v.db"))) {
            var ipam = new Ipam(new SqliteIpamStore(db));
            // Ordered by address as numbers, not as text (10.88.0.10 after 10.88.0.9).
            assertThat(ipam.leases("web"))
                    .extracting(l -> l.address().toString())
                    .last()
                    .isEqualTo("10.88.0.11");
            Lease next = ipam.allocate(WEB, AllocationRequest.dynamic(new LeaseOwner("new", 0), "new"));
            assertThat(next.address()).hasToString("10.88.0.12");
            assertThat(ipam.leases().stream().map(Lease::mac).distinct()).hasSize(11);
            ipam.release(new LeaseOwner("id3", 0));
            assertThat(ipam.allocate(WEB, AllocationRequest.dynamic(new LeaseOwner("again", 0), "again"))
                            .address())
                    .hasToString("10.88.0.5");
        }
    }

    @Test
    void aNetworkWithLeasesCannotLeaveTheStoreAndForwardsAreKeyedByTheirHostSide() {
        try (var db = new Database(dir.resolve("v.db"))) {
            var nets = new SqliteNetworkStore(db);
            nets.insert(WEB);
            assertThatThrownBy(() -> nets.insert(WEB))
                    .isInstanceOf(VesselException.class)
                    .hasMessage("network 'web' already exists");
            new SqliteIpamStore(db).reserve(lease("10.88.0.2", "a", "0a:56:65:00:00:01"));
            assertThatThrownBy(() -> nets.delete("web"))
                    .isInstanceOf(VesselException.class)
                    .hasMessageContaining("FOREIGN KEY");
            nets.insertForward(PortForward.parse("8080:80", "na"));
            nets.insertForward(PortForward.parse("127.0.0.1:8080:80/udp", "na"));
            assertThatThrownBy(() -> nets.insertForward(PortForward.parse("8080:81", "na")))
                    .hasMessageContaining("already exists");
            assertThat(nets.forwards())
                    .containsExactly(
                            PortForward.parse("8080:80", "na"), PortForward.parse("127.0.0.1:8080:80/udp", "na"));
            nets.deleteForward(PortForward.parse("8080:80", "na"));
            assertThat(nets.forwards()).containsExactly(PortForward.parse("127.0.0.1:8080:80/udp", "na"));
            assertThat(nets.networks()).containsExactly(WEB);
        }
    }

    @Test
    void managementPortsAreRefusedNamingWhatTheyAreFor() {
        var mp = new ManagementPorts(
                ManagementPorts.of(dev.vessel.engine.config.ReservedPort.parse("22/tcp,5000/udp")),
                new InetSocketAddress("0.0.0.0", 8443));
        List<NetworkSpec> nets = List.of(WEB);
        assertThatThrownBy(() -> mp.check(PortForward.parse("22:22", "a"), nets))
                .hasMessage("port 22/tcp is a management port (the host's SSH) and is never forwarded");
        assertThatThrownBy(() -> mp.check(PortForward.parse("127.0.0.1:8443:443", "a"), nets))
                .hasMessageContaining("the Vessel API");
        assertThatThrownBy(() -> mp.check(PortForward.parse("5000:53/udp", "a"), nets))
                .hasMessageContaining("reserved-ports");
        assertThatThrownBy(() -> mp.check(PortForward.parse("53:53/udp", "a"), nets))
                .hasMessageContaining("the DNS of network 'web'");
        mp.check(PortForward.parse("192.0.2.1:53:53/udp", "a"), nets); // another address than the gateway's
        mp.check(PortForward.parse("22:22/udp", "a"), nets);
        mp.check(PortForward.parse("8080:80", "a"), nets);
        assertThat(dev.vessel.engine.config.ReservedPort.parse("none")).isEmpty();
        assertThatThrownBy(() -> dev.vessel.engine.config.ReservedPort.parse("22/sctp"))
                .hasMessageContaining("unknown protocol");
    }
}
