package dev.vessel.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.vessel.core.error.VesselException;

/**
 * An IPv4 subnet such as {@code 10.88.0.0/24}. Host bits must be zero: "10.88.0.1/24" is almost always a typo for
 * the gateway, and silently masking it would hide which one the user meant.
 */
public record Cidr(Ipv4 network, int prefix) {
    /** Smaller than /8 would swallow whole private ranges; larger than /30 leaves no room for a gateway and a host. */
    public static final int MIN_PREFIX = 8;

    public static final int MAX_PREFIX = 30;

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
        if ((network.bits() & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException(network + " has host bits set for /" + prefix);
        }
    }

    /** Parses a user-given subnet and enforces the /8../30 range networks may use. */
    public static Cidr parseSubnet(String field, String text) {
        Cidr c = parse(field, text);
        if (c.prefix < MIN_PREFIX || c.prefix > MAX_PREFIX) {
            throw VesselException.invalid(
                    field, "'" + text + "': prefix /" + c.prefix + " is outside /" + MIN_PREFIX + "../" + MAX_PREFIX);
        }
        return c;
    }

    public static Cidr parse(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw VesselException.invalid(field, "a subnet in CIDR form (like 10.88.0.0/24) is required");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw VesselException.invalid(field, "'" + text + "' has no prefix length (like 10.88.0.0/24)");
        }
        Ipv4 addr = Ipv4.parse(field, text.substring(0, slash));
        String p = text.substring(slash + 1);
        if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 32) {
            throw VesselException.invalid(field, "'" + text + "' has a bad prefix length (want 0..32)");
        }
        int prefix = Integer.parseInt(p);
        if ((addr.bits() & ~mask(prefix)) != 0) {
            Ipv4 fixed = new Ipv4(addr.bits() & mask(prefix));
            throw VesselException.invalid(
                    field, "'" + text + "' has host bits set; did you mean " + fixed + "/" + prefix + "?");
        }
        return new Cidr(addr, prefix);
    }

    @JsonCreator
    static Cidr fromJson(String text) {
        return parse("subnet", text);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public Ipv4 netmask() {
        return new Ipv4(mask(prefix));
    }

    public Ipv4 broadcast() {
        return new Ipv4(network.bits() | ~mask(prefix));
    }

    public Ipv4 firstHost() {
        return network.plus(1);
    }

    public Ipv4 lastHost() {
        return broadcast().plus(-1);
    }

    /** Addresses including network and broadcast. */
    public long size() {
        return 1L << (32 - prefix);
    }

    public boolean contains(Ipv4 a) {
        return (a.bits() & mask(prefix)) == network.bits();
    }

    /** Whether an address may be given to a host: inside, and neither the network nor the broadcast address. */
    public boolean isHost(Ipv4 a) {
        return contains(a) && !a.equals(network) && !a.equals(broadcast());
    }

    public boolean overlaps(Cidr o) {
        int m = mask(Math.min(prefix, o.prefix));
        return (network.bits() & m) == (o.network.bits() & m);
    }

    @Override
    @JsonValue
    public String toString() {
        return network + "/" + prefix;
    }
}
