package dev.vessel.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The MAC of a VM's first NIC, derived from its instance id so that it is stable for the VM and new for a clone (which
 * gets a new id). It uses the formula of vessel-net's {@code MacAddresses} for NIC 0 (the prefix {@code 0a:56:65},
 * locally administered, then three bytes of SHA-256 of {@code "<id>/0/0"}), so the network side hands out the same
 * address unless it collides.
 */
public final class GuestMac {
    public static final String PREFIX = "0a:56:65";

    private GuestMac() {}

    public static String forInstance(String instanceId) {
        try {
            byte[] h =
                    MessageDigest.getInstance("SHA-256").digest((instanceId + "/0/0").getBytes(StandardCharsets.UTF_8));
            return PREFIX + ":" + HexFormat.ofDelimiter(":").formatHex(h, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
