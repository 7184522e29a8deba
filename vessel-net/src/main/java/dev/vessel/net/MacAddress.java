package dev.vessel.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.vessel.core.error.VesselException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A unicast Ethernet address, kept in the lower-case colon form that ip(8) and dnsmasq print. */
public record MacAddress(String value) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    public MacAddress {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not a MAC address: " + value);
        }
    }

    /** Parses a user-given MAC: six colon-separated hex pairs, unicast (guests cannot own a multicast address). */
    public static MacAddress parse(String field, String text) {
        String t = text == null ? "" : text.toLowerCase(java.util.Locale.ROOT);
        if (!FORM.matcher(t).matches()) {
            throw VesselException.invalid(field, "'" + text + "' is not a MAC address (like 0a:56:65:12:34:56)");
        }
        if ((HexFormat.fromHexDigits(t, 0, 2) & 1) != 0) {
            throw VesselException.invalid(field, "'" + text + "' is a multicast address");
        }
        if (t.equals("00:00:00:00:00:00")) {
            throw VesselException.invalid(field, "'" + text + "' is the zero address");
        }
        return new MacAddress(t);
    }

    public boolean isMulticast() {
        return (HexFormat.fromHexDigits(value, 0, 2) & 1) != 0;
    }

    @JsonCreator
    static MacAddress fromJson(String text) {
        return parse("mac", text);
    }

    static MacAddress of(byte[] six) {
        return new MacAddress(HexFormat.ofDelimiter(":").formatHex(six));
    }

    @Override
    @JsonValue
    public String toString() {
        return value;
    }
}
