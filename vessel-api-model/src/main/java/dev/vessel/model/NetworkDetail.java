package dev.vessel.model;

import java.util.List;

/**
 * A network in full: its settings, its bridge and whether it is there, its dnsmasq, every address it holds and the
 * ports published through it.
 */
public record NetworkDetail(
        NetworkView spec,
        String bridge,
        boolean bridgePresent,
        Long dnsmasqPid,
        List<LeaseView> leases,
        List<PortView> forwards) {}
