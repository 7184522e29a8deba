package dev.vessel.engine.net;

import dev.vessel.engine.container.ContainerCreator;
import java.util.List;

/**
 * The network half of {@code vessel run} / {@code container create}: the container's address reserved (so it shows
 * at once, and a bad network fails the create) and its published ports ({@code -p}), given back together if anything
 * fails.
 */
public final class ContainerCreates implements ContainerCreator.NetworkReservation {
    private final NetworkParts networks;
    private final dev.vessel.engine.project.ProjectScopes scopes;

    public ContainerCreates(NetworkParts networks, dev.vessel.engine.project.ProjectScopes scopes) {
        this.networks = networks;
        this.scopes = scopes;
    }

    @Override
    public String settle(String project, String network) {
        return networks.containers().settle(scopes.networks(project), network);
    }

    @Override
    public void reserve(String instanceId, String name, String network) {
        networks.containers().reserve(instanceId, name, network);
    }

    @Override
    public void publish(String name, List<String> ports) {
        networks.newVms().publish(networks.newVms().parsePorts(name, ports));
    }

    @Override
    public void release(String instanceId) {
        networks.newVms().release(instanceId, new RuntimeException("container create failed"));
    }
}
