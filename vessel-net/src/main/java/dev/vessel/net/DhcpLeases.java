package dev.vessel.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What dnsmasq has really handed out: its lease file, one {@code EXPIRY MAC ADDRESS NAME CLIENT-ID} line per lease,
 * rewritten by dnsmasq at every grant and renewal. A reservation in Vessel's IPAM says which address a MAC will get;
 * only a line here says that the guest asked for it and got it.
 */
public final class DhcpLeases {
    /** The lease time dnsmasq gives (dhcp-range ...,1h): a lease was granted or last renewed this long before it expires. */
    public static final Duration LEASE_TIME = Duration.ofHours(1);

    /** One granted lease. */
    public record Granted(String mac, String address, String hostname, Instant expires) {
        /** When the guest last got or renewed it. */
        public Instant grantedAt() {
            return expires.minus(LEASE_TIME);
        }
    }

    private DhcpLeases() {}

    /** The leases in the file by MAC (lower case); an absent or unreadable file has none. */
    public static Map<String, Granted> read(Path leaseFile) {
        try {
            return parse(Files.readString(leaseFile));
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }

    static Map<String, Granted> parse(String text) {
        var out = new LinkedHashMap<String, Granted>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4 || line.startsWith("duid")) {
                continue;
            }
            try {
                long expiry = Long.parseLong(f[0]);
                String mac = f[1].toLowerCase(Locale.ROOT);
                out.put(
                        mac,
                        new Granted(
                                mac,
                                f[2],
                                f[3].equals("*") ? null : f[3],
                                expiry == 0 ? Instant.MAX : Instant.ofEpochSecond(expiry)));
            } catch (NumberFormatException e) {
                // not a lease line
            }
        }
        return out;
    }

    /** The lease of {@code mac} for {@code address} that has not expired at {@code now}. */
    public static Optional<Granted> current(Map<String, Granted> leases, String mac, String address, Instant now) {
        Granted g = leases.get(mac.toLowerCase(Locale.ROOT));
        return g != null && g.address().equals(address) && g.expires().isAfter(now) ? Optional.of(g) : Optional.empty();
    }
}
