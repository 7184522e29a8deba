package dev.vessel.engine.store;

import dev.vessel.net.IpamStore;
import dev.vessel.net.Ipv4;
import dev.vessel.net.Lease;
import dev.vessel.net.LeaseOwner;
import dev.vessel.net.MacAddress;
import dev.vessel.net.Reservation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Leases in SQLite. {@link #reserve} decides and inserts in one transaction, and unique indexes on (network, address),
 * mac and (instance, nic) back that decision: whatever happens (a race, a bug, a crash between two steps), the store
 * never holds one address, or one MAC, twice. A lease outlives the daemon; only a release or the reconcile at start-up
 * (for instances that are gone) frees it.
 */
public final class SqliteIpamStore implements IpamStore {
    private static final Comparator<Lease> ORDER =
            Comparator.comparing(Lease::network).thenComparing(Lease::address);

    private final Database db;

    public SqliteIpamStore(Database db) {
        this.db = db;
    }

    @Override
    public Reservation reserve(Lease lease) {
        return db.write(c -> {
            Reservation r = Reservation.decide(all(c), lease);
            if (r instanceof Reservation.Reserved) {
                try (var ps = c.prepareStatement(
                        "INSERT INTO ip_leases(network, address, instance_id, nic, mac, hostname, created_at) VALUES (?,?,?,?,?,?,?)")) {
                    ps.setString(1, lease.network());
                    ps.setString(2, lease.address().toString());
                    ps.setString(3, lease.owner().instanceId());
                    ps.setInt(4, lease.owner().nic());
                    ps.setString(5, lease.mac().value());
                    ps.setString(6, lease.hostname());
                    ps.setString(7, Instant.now().toString());
                    ps.executeUpdate();
                }
            }
            return r;
        });
    }

    @Override
    public Optional<Lease> release(LeaseOwner owner) {
        return db.write(c -> {
            Optional<Lease> held =
                    all(c).stream().filter(l -> l.owner().equals(owner)).findFirst();
            if (held.isPresent()) {
                try (var ps = c.prepareStatement("DELETE FROM ip_leases WHERE instance_id = ? AND nic = ?")) {
                    ps.setString(1, owner.instanceId());
                    ps.setInt(2, owner.nic());
                    ps.executeUpdate();
                }
            }
            return held;
        });
    }

    @Override
    public List<Lease> list() {
        return db.read(SqliteIpamStore::all);
    }

    private static List<Lease> all(Connection c) throws SQLException {
        try (var st = c.createStatement();
                var rs = st.executeQuery("SELECT network, address, instance_id, nic, mac, hostname FROM ip_leases")) {
            var out = new ArrayList<Lease>();
            while (rs.next()) {
                out.add(new Lease(
                        rs.getString(1),
                        Ipv4.parse(rs.getString(2)),
                        new LeaseOwner(rs.getString(3), rs.getInt(4)),
                        new MacAddress(rs.getString(5)),
                        rs.getString(6)));
            }
            out.sort(ORDER);
            return out;
        }
    }
}
