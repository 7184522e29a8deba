package dev.vessel.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.vessel.core.error.VesselException;
import java.util.Locale;

/** The transport protocols a port forward can carry. */
public enum Protocol {
    TCP,
    UDP;

    public static Protocol parse(String field, String text) {
        if (text != null) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "tcp" -> {
                    return TCP;
                }
                case "udp" -> {
                    return UDP;
                }
                default -> {}
            }
        }
        throw VesselException.invalid(field, "unknown protocol '" + text + "': use tcp or udp");
    }

    @JsonCreator
    static Protocol fromJson(String text) {
        return parse("protocol", text);
    }

    /** As nft, ss and users write it. */
    @Override
    @JsonValue
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
