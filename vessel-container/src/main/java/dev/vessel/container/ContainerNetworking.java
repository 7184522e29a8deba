package dev.vessel.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import java.util.List;

/**
 * What the container driver asks of managed networks. Every container that is not {@code --network host} gets a new
 * network namespace with only loopback; the driver creates the container with {@code runc create}, calls
 * {@link #plug} with the init's pid (the namespace is {@code /proc/PID/ns/net}) so that veths and addresses can be put
 * in, and only then lets the process run with {@code runc start}. {@code none} and {@code host} are handled by the
 * driver itself and never reach this interface.
 */
public interface ContainerNetworking {
    /**
     * Before the container is created: checks {@code network} (null = the default network) and says what the container
     * will get. May reserve addresses; they stay reserved until {@link #release}.
     */
    Plan prepare(Instance container, String network);

    /** Puts the container on its network inside the namespace of {@code pid}. Called between runc create and start. */
    void plug(Instance container, Plan plan, long pid);

    /** The container's process is gone (or never ran): removes the host side. */
    void unplug(String instanceId);

    /** The container is removed: frees what {@link #prepare} reserved. */
    default void release(String instanceId) {}

    /**
     * @param plugs whether {@link #plug} has anything to do (if not, the driver starts with a single {@code runc run})
     * @param nameservers for the container's /etc/resolv.conf; empty for none
     * @param searchDomains for resolv.conf's search line
     * @param addresses the container's own addresses, for its /etc/hosts
     */
    record Plan(String network, boolean plugs, List<String> nameservers, List<String> searchDomains, List<String> addresses) {
        public Plan {
            nameservers = List.copyOf(nameservers);
            searchDomains = List.copyOf(searchDomains);
            addresses = List.copyOf(addresses);
        }

        public static Plan isolated(String network) {
            return new Plan(network, false, List.of(), List.of(), List.of());
        }
    }

    /**
     * No managed networks in this daemon: the default network is loopback only (as {@code none}); a named network is
     * refused.
     */
    ContainerNetworking NONE = new ContainerNetworking() {
        @Override
        public Plan prepare(Instance container, String network) {
            if (network != null && !network.equals("default")) {
                throw VesselException.invalid("network", "there is no network '" + network + "' (use none or host)");
            }
            return Plan.isolated("default");
        }

        @Override
        public void plug(Instance container, Plan plan, long pid) {}

        @Override
        public void unplug(String instanceId) {}
    };
}
