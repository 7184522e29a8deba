package dev.vessel.engine.net;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.net.Ipv4;
import dev.vessel.net.PortForward;
import dev.vessel.net.Protocol;
import java.util.List;

/**
 * Published ports: {@code vessel port add|rm|ls} and {@code -p} at create. A forward names an instance and reaches the
 * address of its first NIC; the library refuses one that clashes with another forward or a listening socket, and this
 * adds the management ports no forward may take.
 */
public final class PortOps {
    private final NetworkHub hub;
    private final InstanceStore instances;
    private final ManagementPorts management;

    public PortOps(NetworkHub hub, InstanceStore instances, ManagementPorts management) {
        this.hub = hub;
        this.instances = instances;
        this.management = management;
    }

    /** Parses {@code [HOST_IP:]HOST_PORT:PORT[/PROTO]} without applying it, so create can refuse bad input first. */
    public static PortForward parse(String spec, String instance) {
        return PortForward.parse(spec, instance);
    }

    public PortForward add(String instance, String spec) {
        if (instance == null || instances.byName(instance).isEmpty()) {
            throw VesselException.notFound("instance", String.valueOf(instance));
        }
        return add(parse(spec, instance));
    }

    /** Adds a forward to an instance known to exist. */
    public PortForward add(PortForward f) {
        var manager = hub.manager();
        management.check(f, manager.list());
        return manager.addForward(f);
    }

    public PortForward remove(String hostIp, int hostPort, String protocol) {
        Ipv4 ip = hostIp == null || hostIp.isEmpty() ? null : Ipv4.parse("hostIp", hostIp);
        return hub.manager()
                .removeForward(ip, hostPort, Protocol.parse("protocol", protocol == null ? "tcp" : protocol));
    }

    public List<PortForward> list() {
        return hub.enabled() ? hub.manager().forwards() : List.of();
    }
}
