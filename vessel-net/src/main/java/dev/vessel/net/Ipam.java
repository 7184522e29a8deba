package dev.vessel.net;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Hands out addresses of a network's subnet, never one twice. The store is the only state: a new {@code Ipam} on the
 * same store continues where the last one stopped, and a crash between allocating and using an address leaves an
 * owned lease that {@link #release} (on instance removal) or {@link #reconcile} (for owners that no longer exist)
 * frees.
 */
public final class Ipam {
    private final IpamStore store;

    public Ipam(IpamStore store) {
        this.store = store;
    }

    /**
     * Gives the NIC an address and a MAC. Asking again for the same owner returns the lease it already holds, as long
     * as the request does not contradict it.
     */
    public Lease allocate(NetworkSpec net, AllocationRequest req) {
        if (req.address() != null) {
            requireAssignable(net, req.address());
        }
        if (req.mac() != null && req.mac().isMulticast()) {
            throw VesselException.invalid("mac", req.mac() + " is a multicast address");
        }
        Optional<Lease> held =
                store.list().stream().filter(l -> l.owner().equals(req.owner())).findFirst();
        if (held.isPresent()) {
            return requireCompatible(net, req, held.get());
        }
        Set<Ipv4> takenAddresses =
                store.list(net.name()).stream().map(Lease::address).collect(Collectors.toCollection(HashSet::new));
        Set<MacAddress> takenMacs =
                store.list().stream().map(Lease::mac).collect(Collectors.toCollection(HashSet::new));
        // Another allocation may win a race for the address or MAC we picked; the store refuses ours, and we pick
        // again.
        while (true) {
            Ipv4 address = req.address() != null ? req.address() : nextFree(net, takenAddresses);
            MacAddress mac = req.mac() != null ? req.mac() : MacAddresses.generate(req.owner(), takenMacs);
            switch (store.reserve(new Lease(net.name(), address, req.owner(), mac, req.hostname()))) {
                case Reservation.Reserved r -> {
                    return r.lease();
                }
                case Reservation.AlreadyHeld r -> {
                    return requireCompatible(net, req, r.lease());
                }
                case Reservation.AddressTaken r -> {
                    if (req.address() != null) {
                        throw taken(r.holder().address() + " in network '" + net.name() + "'", r.holder());
                    }
                    takenAddresses.add(r.holder().address());
                }
                case Reservation.MacTaken r -> {
                    if (req.mac() != null) {
                        throw taken("MAC " + r.holder().mac(), r.holder());
                    }
                    takenMacs.add(r.holder().mac());
                }
            }
        }
    }

    public Optional<Lease> release(LeaseOwner owner) {
        return store.release(owner);
    }

    /** Frees every lease of an instance (all its NICs): called when the instance is removed. */
    public List<Lease> releaseInstance(String instanceId) {
        var gone = new ArrayList<Lease>();
        for (Lease l : store.list()) {
            if (l.owner().instanceId().equals(instanceId)) {
                store.release(l.owner()).ifPresent(gone::add);
            }
        }
        return gone;
    }

    public List<Lease> leases(String network) {
        return store.list(network);
    }

    public List<Lease> leases() {
        return store.list();
    }

    /** Frees the leases whose instance no longer exists (a crash between allocation and use, or during removal). */
    public List<Lease> reconcile(Set<String> liveInstanceIds) {
        var gone = new ArrayList<Lease>();
        for (Lease l : store.list()) {
            if (!liveInstanceIds.contains(l.owner().instanceId())) {
                store.release(l.owner()).ifPresent(gone::add);
            }
        }
        return gone;
    }

    static void requireAssignable(NetworkSpec net, Ipv4 a) {
        Cidr s = net.subnet();
        if (!s.contains(a)) {
            throw VesselException.invalid("ip", a + " is outside network '" + net.name() + "' (" + s + ")");
        }
        if (a.equals(s.network())) {
            throw VesselException.invalid("ip", a + " is the network address of " + s);
        }
        if (a.equals(s.broadcast())) {
            throw VesselException.invalid("ip", a + " is the broadcast address of " + s);
        }
        if (a.equals(net.gateway())) {
            throw VesselException.invalid("ip", a + " is the gateway of network '" + net.name() + "'");
        }
    }

    private static Lease requireCompatible(NetworkSpec net, AllocationRequest req, Lease held) {
        if (!held.network().equals(net.name())) {
            throw VesselException.state(
                    req.owner() + " already holds " + held.address() + " in network '" + held.network() + "'");
        }
        if (req.address() != null && !req.address().equals(held.address())) {
            throw VesselException.state(req.owner() + " already holds " + held.address() + ", not " + req.address());
        }
        if (req.mac() != null && !req.mac().equals(held.mac())) {
            throw VesselException.state(req.owner() + " already has MAC " + held.mac() + ", not " + req.mac());
        }
        return held;
    }

    private static Ipv4 nextFree(NetworkSpec net, Set<Ipv4> taken) {
        Cidr s = net.subnet();
        for (Ipv4 a = s.firstHost(); a.compareTo(s.lastHost()) <= 0; a = a.plus(1)) {
            if (!a.equals(net.gateway()) && !taken.contains(a)) {
                return a;
            }
        }
        throw new VesselException(
                ProblemType.IN_USE,
                "network '" + net.name() + "' (" + s + ") has no free address",
                Map.of("network", net.name()),
                null);
    }

    private static VesselException taken(String what, Lease holder) {
        return new VesselException(
                ProblemType.IN_USE,
                what + " is already held by '" + holder.hostname() + "' (" + holder.owner() + ")",
                Map.of("holder", holder.hostname()),
                null);
    }
}
