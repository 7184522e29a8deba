package dev.vessel.engine.net;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.net.Ipv4;
import dev.vessel.net.NetworkSpec;
import dev.vessel.net.PortForward;
import dev.vessel.net.Protocol;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ports a forward may never take, whether or not something listens on them right now: a DNAT rule on them would cut
 * the host off from its managers or the instances from their network services. They are the configured ones (by
 * default 22/tcp, the host's SSH, which may not even run while a forward is added and then be unreachable for good),
 * the daemon's own TCP API port, and each network's DNS and DHCP on its gateway. A forward bound to another host
 * address than the reserved one is fine (e.g. 192.0.2.1:53 while DNS is reserved on the gateways).
 */
public final class ManagementPorts {
    /** One reserved port; {@code address} null means every address. */
    public record Reserved(Protocol protocol, int port, Ipv4 address, String holder) {
        boolean clashes(PortForward f) {
            return f.protocol() == protocol
                    && f.hostPort() == port
                    && (address == null || f.hostIp() == null || address.equals(f.hostIp()));
        }
    }

    private final List<Reserved> fixed;

    public ManagementPorts(List<Reserved> configured, InetSocketAddress apiListener) {
        var all = new ArrayList<>(configured);
        if (apiListener != null) {
            Ipv4 at = apiListener.getAddress() instanceof Inet4Address a && !a.isAnyLocalAddress()
                    ? Ipv4.parse(a.getHostAddress())
                    : null;
            all.add(new Reserved(Protocol.TCP, apiListener.getPort(), at, "the Vessel API (tcp-listen)"));
        }
        this.fixed = List.copyOf(all);
    }

    /** The configured ports, as the {@code reserved-ports} setting names them. */
    public static List<Reserved> of(List<dev.vessel.engine.config.ReservedPort> configured) {
        return configured.stream()
                .map(r -> new Reserved(
                        r.protocol(), r.port(), null, r.port() == 22 ? "the host's SSH" : "reserved-ports"))
                .toList();
    }

    public List<Reserved> all(List<NetworkSpec> networks) {
        var out = new ArrayList<>(fixed);
        for (NetworkSpec n : networks) {
            String of = " of network '" + n.name() + "'";
            out.add(new Reserved(Protocol.UDP, 53, n.gateway(), "the DNS" + of));
            out.add(new Reserved(Protocol.TCP, 53, n.gateway(), "the DNS" + of));
            out.add(new Reserved(Protocol.UDP, 67, n.gateway(), "the DHCP" + of));
        }
        return out;
    }

    /** Refuses a forward that would take a reserved port, naming what it is reserved for. */
    public void check(PortForward f, List<NetworkSpec> networks) {
        for (Reserved r : all(networks)) {
            if (r.clashes(f)) {
                throw new VesselException(
                        ProblemType.IN_USE,
                        "port " + f.hostSide() + " is a management port (" + r.holder() + ") and is never forwarded",
                        Map.of("holder", r.holder()),
                        null);
            }
        }
    }
}
