package dev.vessel.model;

/**
 * An address a network holds for an instance's NIC: the MAC its DHCP lease is pinned to and the name that resolves.
 *
 * @param owner the instance's id and the NIC's index
 */
public record LeaseView(String network, String address, Owner owner, String mac, String hostname) {
    public record Owner(String instanceId, int nic) {}
}
