package dev.vessel.model;

/**
 * A NIC asked for at create ({@code --network NAME[,ip=IP]}) or added later ({@code vessel vm nic add}).
 *
 * @param ip a static address in the network, or null for the next free one
 */
public record NicRequest(String network, String ip) {}
