package dev.vessel.net;

import java.util.Objects;

/**
 * An address held in a network, with what dnsmasq needs to serve it: the MAC its DHCP lease is pinned to and the
 * hostname that resolves to it (the instance's name).
 */
public record Lease(String network, Ipv4 address, LeaseOwner owner, MacAddress mac, String hostname) {
    public Lease {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(hostname, "hostname");
    }
}
