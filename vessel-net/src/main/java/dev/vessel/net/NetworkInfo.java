package dev.vessel.net;

import java.util.List;

/**
 * What {@code vessel network inspect} shows.
 *
 * @param dnsmasqPid the running dnsmasq, or null when it is not running
 */
public record NetworkInfo(
        NetworkSpec spec,
        String bridge,
        boolean bridgePresent,
        Long dnsmasqPid,
        List<Lease> leases,
        List<PortForward> forwards) {}
