package dev.vessel.net;

import dev.vessel.core.error.VesselException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * Generates guest MACs. They are stable (a function of the owner, so a re-created NIC keeps its MAC and its pinned
 * DHCP lease) and carry Vessel's own prefix {@code 0a:56:65}: 0x0a has the locally-administered bit set and the
 * multicast bit clear, so it can never clash with a vendor (IEEE-assigned) address; 0x56 0x65 is "Ve". We do not use
 * QEMU's 52:54:00 because libvirt and plain QEMU hand those out too, and a bridge shared with them would see clashes.
 */
public final class MacAddresses {
    public static final String PREFIX = "0a:56:65";

    /** 2^24 suffixes; after this many failed draws the set is hopelessly full (or the caller loops). */
    private static final int MAX_ATTEMPTS = 4096;

    private MacAddresses() {}

    /** A MAC for {@code owner} that is not in {@code taken}; the same inputs always give the same answer. */
    public static MacAddress generate(LeaseOwner owner, Set<MacAddress> taken) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            byte[] h = sha256(owner.instanceId() + "/" + owner.nic() + "/" + attempt);
            MacAddress mac = MacAddress.of(new byte[] {0x0a, 0x56, 0x65, h[0], h[1], h[2]});
            if (!taken.contains(mac)) {
                return mac;
            }
        }
        throw VesselException.state("no free MAC address for " + owner + " after " + MAX_ATTEMPTS + " attempts");
    }

    public static boolean isVessel(MacAddress mac) {
        return mac.value().startsWith(PREFIX + ":");
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
