package dev.vessel.core.driver;

import dev.vessel.core.model.Instance;
import java.util.List;

/**
 * What the container driver asks of managed networks. The driver makes the container with {@code runc create} (its
 * init then waits, its new network namespace exists), calls {@link #attach} with the init's pid, writes what the
 * answer says into the container (its {@code /etc/resolv.conf}), and only then runs {@code runc start}: the process
 * finds its NIC configured from its first instruction. {@code --network host} makes no namespace and needs no call.
 */
public interface ContainerNetworking {
    /**
     * Plugs the container into its network: a veth from the network's bridge into the namespace of {@code pid}, named
     * eth0 there, with the container's static address from IPAM (the same on every start, until the container is
     * removed), a default route via the gateway and the MAC its lease is pinned to.
     *
     * @param network a managed network's name, {@code none} (loopback only: nothing is done) or null for the
     *     daemon's default network (none when it has no default network)
     */
    Attachment attach(Instance container, String network, long pid);

    /** The container's process is gone, or never started: removes the host side. Its address stays reserved. */
    void detach(String instanceId);

    /**
     * What the container should see.
     *
     * @param addresses its addresses in CIDR form ({@code 10.88.0.5/16}); empty for none
     * @param resolvConf the whole {@code /etc/resolv.conf} to give it (the network's dnsmasq, which resolves instance
     *     names, and nothing upstream); null to leave the file as it is
     */
    record Attachment(List<String> addresses, String resolvConf) {
        public Attachment {
            addresses = List.copyOf(addresses);
        }

        public static final Attachment NONE = new Attachment(List.of(), null);
    }

    /** No managed networks: every container gets loopback only. */
    ContainerNetworking NONE = new ContainerNetworking() {
        @Override
        public Attachment attach(Instance container, String network, long pid) {
            return Attachment.NONE;
        }

        @Override
        public void detach(String instanceId) {}
    };
}
