package dev.vessel.model;

import java.time.Instant;

/**
 * A NIC as the API shows it: the network, the address reserved for it and its MAC, and whether the guest really has
 * that address now.
 *
 * @param ip the address Vessel's IPAM reserved for the NIC (pinned to the MAC); null while it has none (networking is
 *     off, or a clone that has not started yet)
 * @param lease whether the guest holds the address: see {@link Lease}
 */
public record NicView(int index, String network, String ip, String mac, Lease lease) {
    public NicView(int index, String network, String ip, String mac) {
        this(index, network, ip, mac, null);
    }

    /**
     * @param state {@code leased}: the guest asked for its address by DHCP and holds it (since {@code since}, the last
     *     grant or renewal, until {@code expires}); {@code reserved}: the address waits for the guest, which has not
     *     asked (not running, still booting, its link down, or no DHCP client for this NIC); {@code assigned}: a
     *     container's address, set in its namespace by Vessel itself; {@code none}: no address at all
     * @param source where the fact comes from: {@code dhcp} (dnsmasq's lease file), {@code vessel} (a container's
     *     own configuration) or, once it is there, {@code agent} (the guest agent's report)
     */
    public record Lease(String state, String source, Instant since, Instant expires) {
        public static final Lease RESERVED = new Lease("reserved", null, null, null);
        public static final Lease NONE = new Lease("none", null, null, null);
    }
}
