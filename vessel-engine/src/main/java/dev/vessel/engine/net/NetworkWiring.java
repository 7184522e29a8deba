package dev.vessel.engine.net;

import dev.vessel.core.model.Instance;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.config.DaemonConfig;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.store.Database;
import dev.vessel.host.ProcessRunner;
import dev.vessel.net.HostNet;
import dev.vessel.qemu.QemuVmDriver;
import java.util.stream.Collectors;

/**
 * Builds managed networks from the daemon's parts in the three steps the daemon's start needs: the hub and the VM
 * driver's hook before the driver exists, the faces once the engine exists, the reconcile after adoption. Kept out
 * of VesselDaemon so that its wiring stays a few lines.
 */
public final class NetworkWiring {
    private final DaemonConfig config;
    private final NetworkHub hub;
    private final VmNics vmNics;
    private final ContainerNics containerNics;

    /** Restores this daemon's networks (bridges, dnsmasq, rules) and, on the first start, makes the default one. */
    public NetworkWiring(DaemonConfig config, Database db, ProcessRunner proc) {
        this.config = config;
        // The daemon manages the namespace it runs in; to manage a private one, start it inside (nsenter --net=...).
        this.hub = new NetworkHub(HostNet.host(proc), config.networkDir(), db, config.defaultNetwork());
        this.vmNics = new VmNics(hub);
        this.containerNics = new ContainerNics(hub);
        hub.start();
    }

    public VmNics vmNics() {
        return vmNics;
    }

    /** The container driver's hook (between runc create and runc start), for when the driver is built. */
    public ContainerNics containerNics() {
        return containerNics;
    }

    /** Once the engine exists: removals release addresses, MACs found at start go back into specs. */
    public NetworkParts engine(
            InstanceStore instances,
            InstanceOps ops,
            QemuVmDriver vmDriver,
            dev.vessel.engine.project.ProjectService projects,
            dev.vessel.engine.project.Quotas quotas) {
        ops.addGuard(new NetworkGuard(hub));
        vmNics.specUpdates(ops::updateSpec);
        var ports = new PortOps(
                hub, instances, new ManagementPorts(ManagementPorts.of(config.reservedPorts()), config.tcpListen()));
        var scopes = projects.scopes();
        var networks = new NetworkOps(hub, scopes, quotas);
        quotas.networks(networks::keys);
        projects.holds(
                "network(s)",
                p -> quotas.networksOf(p).stream()
                        .map(dev.vessel.core.model.ProjectKey::nameOf)
                        .toList());
        return new NetworkParts(
                hub,
                networks,
                ports,
                new NicOps(hub, ops, vmDriver, scopes),
                new NewVmNetworks(hub, ports, scopes),
                containerNics,
                scopes);
    }

    /** After adoption: addresses of instances that are gone are freed, host objects nothing owns are removed. */
    public void reconcile(InstanceStore instances) {
        hub.reconcile(instances.list().stream().map(Instance::id).collect(Collectors.toSet()));
    }
}
