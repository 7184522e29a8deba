package dev.vessel.engine.net;

import dev.vessel.core.driver.ContainerNetworking;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.ProjectKey;
import dev.vessel.net.AllocationRequest;
import dev.vessel.net.ContainerNic;
import dev.vessel.net.DnsmasqConfig;
import dev.vessel.net.Lease;
import dev.vessel.net.LeaseOwner;
import dev.vessel.net.NetnsRef;
import dev.vessel.net.NetworkSpec;
import java.util.List;
import java.util.Optional;

/**
 * The container driver's view of managed networks: eth0 is a veth from the network's bridge, configured by us with
 * the container's IPAM address (no DHCP client needed in the image), a default route unless the network is isolated,
 * and a resolv.conf that names the network's dnsmasq, where every instance of the network resolves by name.
 */
public final class ContainerNics implements ContainerNetworking {
    static final String NONE = "none";
    static final String HOST = "host";

    private final NetworkHub hub;

    public ContainerNics(NetworkHub hub) {
        this.hub = hub;
    }

    /** The managed network a container's stored {@code network} setting means; empty for none and host. */
    public Optional<String> resolve(String network) {
        if (network == null) {
            return hub.defaultNetwork(ProjectKey.DEFAULT_PROJECT);
        }
        return NONE.equals(network) || HOST.equals(network) ? Optional.empty() : Optional.of(network);
    }

    /**
     * At create: the {@code network} a user gave, as the container keeps it, for a container whose networks live in
     * {@code networkProject}: none and host as they are, a name as that project's network's key, and no network as
     * null (the node's default network, looked up at each start) in the default project, or as that project's own
     * "default" (none if it has none) in a project with networks of its own.
     */
    public String settle(String networkProject, String network) {
        if (NONE.equals(network) || HOST.equals(network)) {
            return network;
        }
        if (network != null) {
            return ProjectKey.of(networkProject, Names.requireValid("network", network));
        }
        if (networkProject.equals(ProjectKey.DEFAULT_PROJECT)) {
            return null;
        }
        return hub.defaultNetwork(networkProject).orElse(NONE);
    }

    /** At create: reserves the container's address (so it shows before the first start, and bad input fails early). */
    public Optional<Lease> reserve(String instanceId, String name, String network) {
        return resolve(network)
                .map(n -> hub.manager().reserve(n, AllocationRequest.dynamic(new LeaseOwner(instanceId, 0), name)));
    }

    @Override
    public Attachment attach(Instance container, String network, long pid) {
        Optional<String> managed = resolve(network);
        if (managed.isEmpty()) {
            return Attachment.NONE;
        }
        var manager = hub.manager();
        NetworkSpec spec = manager.list().stream()
                .filter(n -> n.name().equals(managed.get()))
                .findFirst()
                .orElseThrow(() -> dev.vessel.core.error.VesselException.notFound("network", managed.get()));
        Lease lease = manager.attachContainer(
                spec.name(),
                AllocationRequest.dynamic(new LeaseOwner(container.id(), 0), container.name()),
                new NetnsRef.Pid(pid),
                ContainerNic.staticAddress(0));
        return new Attachment(List.of(lease.address() + "/" + spec.subnet().prefix()), resolvConf(spec));
    }

    /** Only the network's own dnsmasq: it resolves instances and forwards nothing upstream. */
    static String resolvConf(NetworkSpec spec) {
        return "# Written by Vessel: the DNS of network " + NetworkSpec.describe(spec.name()) + "\n"
                + "search " + DnsmasqConfig.DOMAIN + "\n"
                + "nameserver " + spec.gateway() + "\n";
    }

    @Override
    public void detach(String instanceId) {
        if (hub.enabled()) {
            hub.manager().unplug(instanceId);
        }
    }
}
