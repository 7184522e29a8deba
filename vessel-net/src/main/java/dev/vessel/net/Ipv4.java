package dev.vessel.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.vessel.core.error.VesselException;

/**
 * An IPv4 address as an unsigned 32-bit value. Our own type rather than {@link java.net.InetAddress}: parsing is
 * strict (no octal or short forms, which {@code inet_aton} would accept and read differently) and never touches DNS.
 */
public record Ipv4(int bits) implements Comparable<Ipv4> {
    public static Ipv4 parse(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw VesselException.invalid(field, "an IPv4 address is required");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw VesselException.invalid(field, "'" + text + "' is not an IPv4 address (want four dotted numbers)");
        }
        int bits = 0;
        for (String p : parts) {
            // A leading zero would be octal to inet_aton: refuse it rather than guess what the user meant.
            if (p.isEmpty()
                    || p.length() > 3
                    || !p.chars().allMatch(Character::isDigit)
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                throw VesselException.invalid(field, "'" + text + "' is not an IPv4 address");
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw VesselException.invalid(field, "'" + text + "' is not an IPv4 address (" + octet + " > 255)");
            }
            bits = (bits << 8) | octet;
        }
        return new Ipv4(bits);
    }

    @JsonCreator
    public static Ipv4 parse(String text) {
        return parse("address", text);
    }

    public Ipv4 plus(long n) {
        return new Ipv4((int) (Integer.toUnsignedLong(bits) + n));
    }

    public long unsigned() {
        return Integer.toUnsignedLong(bits);
    }

    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    @Override
    public int compareTo(Ipv4 o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    @Override
    @JsonValue
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
