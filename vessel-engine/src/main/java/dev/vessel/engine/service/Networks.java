package dev.vessel.engine.service;

import dev.vessel.model.NetworkCreateRequest;
import dev.vessel.model.NetworkDetail;
import dev.vessel.model.NetworkSummary;
import dev.vessel.model.NetworkView;
import dev.vessel.model.NicRequest;
import dev.vessel.model.NicView;
import dev.vessel.model.PortView;
import java.util.List;

/**
 * Managed networks, published ports, and VMs' NICs. Each change is announced on the event stream. A network lives in a
 * project as an instance does and is named by its key ({@code NAME}, {@code NAME.PROJECT}); a project without
 * {@code features.networks} sees, joins and makes the default project's networks.
 */
public interface Networks {
    /** The networks a request in {@code project} sees (its network project's); null: those of every project. */
    List<NetworkSummary> list(String project);

    /** The key of the network {@code name} means in {@code project}: its own, or the default project's. */
    String key(String project, String name);

    /** Makes a network in {@code project}'s network project, within that project's network quota. */
    NetworkView create(String project, NetworkCreateRequest request);

    /** @param key the network's key */
    NetworkDetail inspect(String key);

    /** @param key the network's key */
    void remove(String key);

    List<PortView> ports();

    /** @param spec {@code [HOST_IP:]HOST_PORT:PORT[/PROTO]} */
    PortView publish(String instance, String spec);

    /** @param hostIp null for every address; returns what was removed */
    PortView unpublish(String hostIp, int hostPort, String protocol);

    List<NicView> nics(String vm);

    NicView addNic(String vm, NicRequest request);

    void removeNic(String vm, int index);
}
