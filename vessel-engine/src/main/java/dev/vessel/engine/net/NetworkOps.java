package dev.vessel.engine.net;

import dev.vessel.core.error.VesselException;
import dev.vessel.net.Lease;
import dev.vessel.net.NetworkInfo;
import dev.vessel.net.NetworkSpec;
import java.util.List;

/** {@code vessel network create|ls|inspect|rm}. */
public final class NetworkOps {
    private final NetworkHub hub;

    public NetworkOps(NetworkHub hub) {
        this.hub = hub;
    }

    /** The body of {@code POST /api/v1/networks}; nat defaults to on unless the network is isolated. */

    /** A network in a listing: its settings, bridge, and the instances with an address in it. */
    static dev.vessel.model.NetworkSummary summary(NetworkSpec s, List<Lease> leases) {
        return new dev.vessel.model.NetworkSummary(
                s.name(),
                s.subnet().toString(),
                s.gateway().toString(),
                s.nat(),
                s.isolated(),
                s.peers(),
                s.bridge(),
                leases.stream()
                        .filter(l -> l.network().equals(s.name()))
                        .map(Lease::hostname)
                        .distinct()
                        .toList());
    }

    public NetworkSpec create(dev.vessel.model.NetworkCreateRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        if ("none".equals(r.name()) || "host".equals(r.name())) {
            throw VesselException.invalid(
                    "name", "'" + r.name() + "' is reserved: --network none and host mean no managed network");
        }
        boolean isolated = Boolean.TRUE.equals(r.isolated());
        boolean nat = r.nat() != null ? r.nat() : !isolated;
        // Parse before touching anything: bad input never activates networking or changes the host.
        NetworkSpec spec = NetworkSpec.parse(r.name(), r.subnet(), r.gateway(), nat, isolated, r.peers());
        return hub.manager().create(spec);
    }

    public List<dev.vessel.model.NetworkSummary> list() {
        if (!hub.enabled()) {
            return List.of();
        }
        var manager = hub.manager();
        List<Lease> leases = manager.ipam().leases();
        return manager.list().stream().map(s -> summary(s, leases)).toList();
    }

    public NetworkInfo inspect(String name) {
        if (!hub.enabled()) {
            throw VesselException.notFound("network", name);
        }
        return hub.manager().inspect(name);
    }

    /** Refused while any instance holds an address in it; the message names them. */
    public void remove(String name) {
        if (!hub.enabled()) {
            throw VesselException.notFound("network", name);
        }
        hub.manager().delete(name);
    }
}
