package dev.vessel.net;

import java.util.HexFormat;

/**
 * Names of the host objects Vessel creates. Linux allows 15 characters for an interface name, so names are a fixed
 * prefix plus a hash: every one starts with {@value #PREFIX}, which is how the reaper recognises leftovers after a
 * crash, and the letter after it says what the object is:
 *
 * <pre>
 *   vsl-b + 10 hex   bridge of a network            hash of the network's key (NAME or NAME.PROJECT)
 *   vsl-v + 10 hex   host end of a container veth   hash of instance id + NIC index
 *   vsl-t + 10 hex   tap of a VM (host namespace)   hash of instance id + NIC index
 * </pre>
 *
 * Hashes of names rather than counters make every name computable from the store alone, so nothing about host objects
 * needs to be persisted. 40 bits make a clash unlikely; a bridge clash is detected and refused at create time.
 */
public final class HostNames {
    public static final String PREFIX = "vsl-";
    public static final String BRIDGE_PREFIX = PREFIX + "b";
    public static final String VETH_PREFIX = PREFIX + "v";
    public static final String TAP_PREFIX = PREFIX + "t";

    /** Inside a VM runtime's own namespace: the veth end, the small bridge and the tap QEMU opens, per NIC. */
    static final String INNER_VETH = "vsl-e";

    static final String INNER_BRIDGE = "vsl-br";
    static final String INNER_TAP = "vsl-tap";

    private HostNames() {}

    public static String bridge(String network) {
        return BRIDGE_PREFIX + hash("network/" + network);
    }

    public static String hostVeth(LeaseOwner owner) {
        return VETH_PREFIX + hash("nic/" + owner.instanceId() + "/" + owner.nic());
    }

    public static String tap(LeaseOwner owner) {
        return TAP_PREFIX + hash("nic/" + owner.instanceId() + "/" + owner.nic());
    }

    /** The tap QEMU opens for NIC {@code nic} inside its own namespace ({@link BridgeNetwork#attachTapInside}). */
    public static String innerTap(int nic) {
        return INNER_TAP + nic;
    }

    public static boolean isVessel(String ifname) {
        return ifname.startsWith(PREFIX);
    }

    private static String hash(String s) {
        return HexFormat.of().formatHex(MacAddresses.sha256(s), 0, 5);
    }
}
