package dev.vessel.net;

import java.util.List;
import java.util.Optional;

/**
 * Where leases live. Each method is atomic on its own: {@link #reserve} checks and stores in one step, so two
 * allocations racing for one address cannot both win. The daemon backs this with its SQLite store (a unique index on
 * (network, address), one on mac, one on owner); in-memory and JSON-file
 * ones in this module's test-jar serve tests.
 */
public interface IpamStore {
    Reservation reserve(Lease lease);

    /** Removes the owner's lease, if any, and returns it. */
    Optional<Lease> release(LeaseOwner owner);

    /** All leases of all networks, ordered by network, then address. */
    List<Lease> list();

    default List<Lease> list(String network) {
        return list().stream().filter(l -> l.network().equals(network)).toList();
    }
}
