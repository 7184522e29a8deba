package dev.vessel.engine.net;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.ProjectKey;
import dev.vessel.engine.project.ProjectScopes;
import dev.vessel.engine.project.Quotas;
import dev.vessel.net.Lease;
import dev.vessel.net.NetworkInfo;
import dev.vessel.net.NetworkSpec;
import java.util.List;

/**
 * {@code vessel network create|ls|inspect|rm}. A network lives in its project's network project (the project itself
 * with {@code features.networks}, else the default one, as Incus puts it) and is keyed there as instances are:
 * {@code NAME} in the default project, {@code NAME.PROJECT} otherwise.
 */
public final class NetworkOps {
    private final NetworkHub hub;
    private final ProjectScopes scopes;
    private final Quotas quotas;

    public NetworkOps(NetworkHub hub, ProjectScopes scopes, Quotas quotas) {
        this.hub = hub;
        this.scopes = scopes;
        this.quotas = quotas;
    }

    /** A network in a listing: its settings, bridge, and the instances with an address in it. */
    static dev.vessel.model.NetworkSummary summary(NetworkSpec s, List<Lease> leases) {
        var key = ProjectKey.parse(s.name());
        return new dev.vessel.model.NetworkSummary(
                key.name(),
                key.project(),
                s.subnet().toString(),
                s.gateway().toString(),
                s.nat(),
                s.isolated(),
                s.peers().stream().map(ProjectKey::nameOf).toList(),
                s.bridge(),
                leases.stream()
                        .filter(l -> l.network().equals(s.name()))
                        .map(Lease::hostname)
                        .distinct()
                        .toList());
    }

    /**
     * The body of {@code POST /api/v1/networks} in {@code project} (null: the default one); nat defaults to on unless
     * the network is isolated. Peers are named in the same project; the project's network quota is checked and the
     * network made under the project's lock.
     */
    public NetworkSpec create(String project, dev.vessel.model.NetworkCreateRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        if ("none".equals(r.name()) || "host".equals(r.name())) {
            throw VesselException.invalid(
                    "name", "'" + r.name() + "' is reserved: --network none and host mean no managed network");
        }
        String home = scopes.networks(project);
        String key = ProjectKey.of(home, Names.requireValid("name", r.name()));
        var peers = r.peers() == null
                ? List.<String>of()
                : r.peers().stream()
                        .map(p -> ProjectKey.of(home, Names.requireValid("peers", p)))
                        .toList();
        boolean isolated = Boolean.TRUE.equals(r.isolated());
        boolean nat = r.nat() != null ? r.nat() : !isolated;
        // Parse before touching anything: bad input never activates networking or changes the host.
        NetworkSpec spec = NetworkSpec.parse(key, r.subnet(), r.gateway(), nat, isolated, peers);
        return quotas.admitNetwork(key, () -> hub.manager().create(spec));
    }

    /** Every network of every project. */
    public List<dev.vessel.model.NetworkSummary> list() {
        if (!hub.enabled()) {
            return List.of();
        }
        var manager = hub.manager();
        List<Lease> leases = manager.ipam().leases();
        return manager.list().stream().map(s -> summary(s, leases)).toList();
    }

    /** The networks a request in {@code project} sees: those of its network project. */
    public List<dev.vessel.model.NetworkSummary> list(String project) {
        String home = scopes.networks(project);
        return list().stream().filter(n -> n.project().equals(home)).toList();
    }

    /** The keys of every network (for the quotas and the projects' holdings). */
    public List<String> keys() {
        return hub.enabled()
                ? hub.manager().list().stream().map(NetworkSpec::name).toList()
                : List.of();
    }

    public NetworkInfo inspect(String key) {
        if (!hub.enabled()) {
            throw VesselException.notFound("network", key);
        }
        return hub.manager().inspect(key);
    }

    /** Refused while any instance holds an address in it; the message names them. */
    public void remove(String key) {
        if (!hub.enabled()) {
            throw VesselException.notFound("network", key);
        }
        hub.manager().delete(key);
    }
}
