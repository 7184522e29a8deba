package dev.vessel.net;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Leases in memory, for tests. */
public final class InMemoryIpamStore implements IpamStore {
    static final Comparator<Lease> ORDER = Comparator.comparing(Lease::network).thenComparing(Lease::address);

    private final List<Lease> leases = new ArrayList<>();

    @Override
    public synchronized Reservation reserve(Lease lease) {
        Reservation r = Reservation.decide(leases, lease);
        if (r instanceof Reservation.Reserved) {
            leases.add(lease);
        }
        return r;
    }

    @Override
    public synchronized Optional<Lease> release(LeaseOwner owner) {
        for (var it = leases.iterator(); it.hasNext(); ) {
            Lease l = it.next();
            if (l.owner().equals(owner)) {
                it.remove();
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized List<Lease> list() {
        return leases.stream().sorted(ORDER).toList();
    }
}
