package dev.vessel.net;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ProjectKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A managed network as the user asked for it.
 *
 * @param name the network's key: a DNS label in the default project, {@code NAME.PROJECT} in a project with networks of
 *     its own (see {@link ProjectKey}); also names the bridge, through a hash of the key (see {@link HostNames}), so
 *     the same name in two projects is two bridges
 *
 * @param subnet IPv4, /8 to /30, host bits zero
 * @param gateway the host's address on the bridge; defaults to the first host address
 * @param nat masquerade traffic that leaves through a non-bridge interface
 * @param isolated no traffic to or from anything but the network itself, its peers and published ports
 * @param peers the keys of networks this one may exchange traffic with; networks are isolated from each other
 *     otherwise, and a peering listed on either side opens both directions
 */
public record NetworkSpec(String name, Cidr subnet, Ipv4 gateway, boolean nat, boolean isolated, List<String> peers) {
    public NetworkSpec {
        ProjectKey.requireValid("name", name);
        if (subnet == null) {
            throw VesselException.invalid("subnet", "a subnet is required");
        }
        if (subnet.prefix() < Cidr.MIN_PREFIX || subnet.prefix() > Cidr.MAX_PREFIX) {
            throw VesselException.invalid(
                    "subnet", subnet + ": prefix is outside /" + Cidr.MIN_PREFIX + "../" + Cidr.MAX_PREFIX);
        }
        if (gateway == null) {
            gateway = subnet.firstHost();
        }
        if (!subnet.contains(gateway)) {
            throw VesselException.invalid("gateway", gateway + " is outside " + subnet);
        }
        if (gateway.equals(subnet.network())) {
            throw VesselException.invalid("gateway", gateway + " is the network address of " + subnet);
        }
        if (gateway.equals(subnet.broadcast())) {
            throw VesselException.invalid("gateway", gateway + " is the broadcast address of " + subnet);
        }
        if (nat && isolated) {
            throw VesselException.invalid(
                    "nat", "an isolated network cannot have NAT: isolation forbids traffic to the outside");
        }
        var sorted = new TreeSet<String>();
        for (String p : peers == null ? List.<String>of() : peers) {
            ProjectKey.requireValid("peers", p);
            if (p.equals(name)) {
                throw VesselException.invalid("peers", "a network cannot peer with itself");
            }
            sorted.add(p);
        }
        peers = List.copyOf(sorted);
    }

    /** Builds a spec from user text ({@code name} and {@code peers} as keys); {@code gateway} may be null for the default. */
    public static NetworkSpec parse(
            String name, String subnet, String gateway, boolean nat, boolean isolated, List<String> peers) {
        ProjectKey.requireValid("name", name);
        Cidr c = Cidr.parseSubnet("subnet", subnet);
        Ipv4 gw = gateway == null || gateway.isEmpty() ? null : Ipv4.parse("gateway", gateway);
        return new NetworkSpec(name, c, gw, nat, isolated, peers);
    }

    @JsonIgnore
    public String bridge() {
        return HostNames.bridge(name);
    }

    /** Whether an address may be given to an instance: a host address of the subnet that is not the gateway. */
    public boolean assignable(Ipv4 a) {
        return subnet.isHost(a) && !a.equals(gateway);
    }

    /** Refuses a subnet that overlaps another network's, naming that network. */
    public void requireNoOverlap(Collection<NetworkSpec> existing) {
        for (NetworkSpec other : existing) {
            if (!other.name.equals(name) && other.subnet.overlaps(subnet)) {
                throw new VesselException(
                        ProblemType.IN_USE,
                        "subnet " + subnet + " overlaps network " + describe(other.name) + " (" + other.subnet + ")",
                        Map.of("network", other.name),
                        null);
            }
        }
    }

    /** A network's key as messages name it: {@code 'lan'}, or {@code 'lan' of project 'dev'}. */
    public static String describe(String key) {
        var k = ProjectKey.parse(key);
        return k.inDefault() ? "'" + k.name() + "'" : "'" + k.name() + "' of project '" + k.project() + "'";
    }
}
