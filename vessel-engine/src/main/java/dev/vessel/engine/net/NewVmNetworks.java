package dev.vessel.engine.net;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.NicSpec;
import dev.vessel.core.model.ProjectKey;
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
    private final dev.vessel.engine.project.ProjectScopes scopes;

    public NewVmNetworks(NetworkHub hub, PortOps ports, dev.vessel.engine.project.ProjectScopes scopes) {
        this.hub = hub;
        this.ports = ports;
        this.scopes = scopes;
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

    /**
     * Reserves an address and a MAC for each NIC; returns the NICs with their MACs. On failure nothing is held. A
     * network is named as the VM's project sees it and kept as its key; with none given, the VM joins its network
     * project's "default" while there is one.
     */
    @Override
    public List<NicSpec> reserve(String id, String name, List<NicRequest> requested) {
        if (requested != null && requested.size() > NicSpec.MAX_NICS) {
            throw VesselException.invalid("networks", "at most " + NicSpec.MAX_NICS + " NICs per VM");
        }
        String networkProject = scopes.networks(ProjectKey.projectOf(name));
        List<String> wanted = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        if (requested == null) {
            hub.defaultNetwork(networkProject).ifPresent(n -> {
                wanted.add(n);
                ips.add(null);
            });
        } else {
            for (int i = 0; i < requested.size(); i++) {
                NicRequest r = requested.get(i);
                if (r == null) {
                    throw VesselException.invalid("networks[" + i + "]", "a NIC entry is null");
                }
                wanted.add(ProjectKey.of(networkProject, Names.requireValid("network", r.network())));
                ips.add(r.ip());
            }
        }
        var seen = new HashSet<String>();
        var nics = new ArrayList<NicSpec>();
        for (int i = 0; i < wanted.size(); i++) {
            NicSpec nic = new NicSpec(
                    i,
                    wanted.get(i),
                    ips.get(i) == null ? null : Ipv4.parse("ip", ips.get(i)).toString(),
                    null);
            if (!seen.add(nic.network())) {
                // Two NICs on one bridge would give the guest two routes into the same subnet.
                throw VesselException.invalid(
                        "networks", "network '" + ProjectKey.nameOf(nic.network()) + "' is given twice");
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
