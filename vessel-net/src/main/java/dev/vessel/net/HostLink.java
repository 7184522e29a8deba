package dev.vessel.net;

/**
 * A network interface as {@code ip -j -d link} shows it.
 *
 * @param kind "bridge", "veth", "tun", ... (empty for plain devices)
 * @param master the bridge it is enslaved to, or null
 */
public record HostLink(String name, String kind, String master) {}
