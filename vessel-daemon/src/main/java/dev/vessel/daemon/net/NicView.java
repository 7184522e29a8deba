package dev.vessel.daemon.net;

/**
 * A NIC as the API shows it: the network, and the address and MAC its lease holds (the guest gets exactly this
 * address by DHCP: the lease is pinned to the MAC).
 *
 * @param ip null while the NIC has no lease (networking is off, or a clone that has not started yet)
 */
public record NicView(int index, String network, String ip, String mac) {}
