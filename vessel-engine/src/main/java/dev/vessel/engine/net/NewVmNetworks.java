package dev.vessel.engine.net;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.NicSpec;
import dev.vessel.model.NicRequest;
import dev.vessel.net.AllocationRequest;
import dev.vessel.net.Ipv4;
import dev.vessel.net.Lease;
import dev.vessel.net.LeaseOwner;
import dev.vessel.net.PortForward;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The network half of {@code vm create}: which NICs (the default network unless told, none for {@code --network
 * none}), their addresses and MACs reserved before the VM is stored (so bad input or a taken address stores nothing),
 * and its published ports. {@link #release} undoes all of it.
 */
public final class NewVmNetworks implements VmNetworking {
    private final NetworkHub hub;
    private final PortOps ports;

    public NewVmNetworks(NetworkHub hub, PortOps ports) {
        this.hub = hub;
        this.ports = ports;
    }

    /** Checks the port mappings' syntax, before anything is made. */
    @Override
    public List<PortForward> parsePorts(String name, List<String> specs) {
        var out = new ArrayList<PortForward>();
        for (String p : specs == null ? List.<String>of() : specs) {
            out.add(PortOps.parse(p, name));
        }
        return out;
    }

    /** Reserves an address and a MAC for each NIC; returns the NICs with their MACs. On failure nothing is held. */
    @Override
    public List<NicSpec> reserve(String id, String name, List<NicRequest> requested) {
        List<NicRequest> wanted = requested != null
                ? requested
                : hub.defaultNetwork()
                        .map(n -> List.of(new NicRequest(n, null)))
                        .orElse(List.of());
        if (wanted.size() > NicSpec.MAX_NICS) {
            throw VesselException.invalid("networks", "at most " + NicSpec.MAX_NICS + " NICs per VM");
        }
        var seen = new HashSet<String>();
        var nics = new ArrayList<NicSpec>();
        for (int i = 0; i < wanted.size(); i++) {
            NicRequest r = wanted.get(i);
            if (r == null) {
                throw VesselException.invalid("networks[" + i + "]", "a NIC entry is null");
            }
            NicSpec nic = new NicSpec(
                    i,
                    r.network(),
                    r.ip() == null ? null : Ipv4.parse("ip", r.ip()).toString(),
                    null);
            if (!seen.add(nic.network())) {
                // Two NICs on one bridge would give the guest two routes into the same subnet.
                throw VesselException.invalid("networks", "network '" + nic.network() + "' is given twice");
            }
            nics.add(nic);
        }
        if (nics.isEmpty()) {
            return nics;
        }
        var manager = hub.manager();
        var out = new ArrayList<NicSpec>();
        try {
            for (NicSpec nic : nics) {
                Lease lease = manager.reserve(
                        nic.network(),
                        new AllocationRequest(
                                new LeaseOwner(id, nic.index()),
                                name,
                                nic.ip() == null ? null : Ipv4.parse("ip", nic.ip()),
                                null));
                out.add(nic.withMac(lease.mac().value()));
            }
        } catch (RuntimeException e) {
            release(id, e);
            throw e;
        }
        return out;
    }

    /**
     * For a clone or a restore: reserves an address and a MAC on each of the given NICs' networks, keeping their
     * indexes; on failure nothing is held. A network that no longer exists is an error that names it.
     */
    @Override
    public List<NicSpec> reserveLike(String id, String name, List<NicSpec> nics) {
        var manager = hub.manager();
        var out = new ArrayList<NicSpec>();
        try {
            for (NicSpec nic : nics) {
                Lease lease = manager.reserve(
                        nic.network(), new AllocationRequest(new LeaseOwner(id, nic.index()), name, null, null));
                out.add(nic.withMac(lease.mac().value()));
            }
        } catch (RuntimeException e) {
            release(id, e);
            throw e;
        }
        return out;
    }

    /** Publishes the ports; the instance holds its addresses already. */
    @Override
    public void publish(List<PortForward> forwards) {
        forwards.forEach(ports::add);
    }

    /** Gives back everything {@link #reserve} and {@link #publish} took for the instance. */
    @Override
    public void release(String id, RuntimeException cause) {
        if (!hub.enabled()) {
            return;
        }
        try {
            hub.manager().release(id);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
