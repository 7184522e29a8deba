package dev.vessel.engine.service;

import dev.vessel.model.NetworkCreateRequest;
import dev.vessel.model.NetworkDetail;
import dev.vessel.model.NetworkSummary;
import dev.vessel.model.NetworkView;
import dev.vessel.model.NicRequest;
import dev.vessel.model.NicView;
import dev.vessel.model.PortView;
import java.util.List;

/** Managed networks, published ports, and VMs' NICs. Each change is announced on the event stream. */
public interface Networks {
    List<NetworkSummary> list();

    NetworkView create(NetworkCreateRequest request);

    NetworkDetail inspect(String name);

    void remove(String name);

    List<PortView> ports();

    /** @param spec {@code [HOST_IP:]HOST_PORT:PORT[/PROTO]} */
    PortView publish(String instance, String spec);

    /** @param hostIp null for every address; returns what was removed */
    PortView unpublish(String hostIp, int hostPort, String protocol);

    List<NicView> nics(String vm);

    NicView addNic(String vm, NicRequest request);

    void removeNic(String vm, int index);
}
