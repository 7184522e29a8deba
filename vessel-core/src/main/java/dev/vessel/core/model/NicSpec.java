package dev.vessel.core.model;

import dev.vessel.core.error.VesselException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One NIC of a VM as the user asked for it and as create resolved it. The address the NIC actually holds is a lease in
 * the network's IPAM (keyed by instance id and NIC index); this record is what a clone or restore copies.
 *
 * @param index the NIC's number for its whole life: it keys the lease, the host links and QEMU's device ids, so
 *     removing another NIC never renumbers this one; the guest sees NICs in the order of the list
 * @param network the key of the managed network it plugs into ({@code lan}, {@code lan.dev} for a network of project
 *     dev; see {@link ProjectKey})
 * @param ip a static address the user asked for, or null for the next free one
 * @param mac the guest's MAC, unique in the store; null until the network side gave it one (a clone's NICs start
 *     without, so they never share their source's MAC)
 */
public record NicSpec(int index, String network, String ip, String mac) {
    /** A VM has at most this many NICs: each sits behind its own PCIe root port. */
    public static final int MAX_NICS = 8;
    /** Indexes stay below this (it bounds QEMU's chassis numbers and the lease owner's NIC number). */
    public static final int MAX_INDEX = 63;

    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");

    public NicSpec {
        if (index < 0 || index > MAX_INDEX) {
            throw VesselException.invalid("nic", index + " is outside 0.." + MAX_INDEX);
        }
        ProjectKey.requireValid("network", network);
        if (ip != null && !IPV4.matcher(ip).matches()) {
            throw VesselException.invalid("ip", "'" + ip + "' is not an IPv4 address");
        }
        if (mac != null && !MAC.matcher(mac).matches()) {
            throw VesselException.invalid("mac", "'" + mac + "' is not a lower-case MAC address");
        }
    }

    public NicSpec withMac(String next) {
        return new NicSpec(index, network, ip, next);
    }

    /** The NICs a clone or restore starts with: the same networks, no MAC (a new one comes) and no static address. */
    public static List<NicSpec> forNewInstance(List<NicSpec> from) {
        return from == null
                ? null
                : from.stream()
                        .map(n -> new NicSpec(n.index(), n.network(), null, null))
                        .toList();
    }
}
