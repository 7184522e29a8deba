package dev.vessel.access;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Login tickets and CSRF tokens, signed with the node's secret key (HMAC-SHA256), as Proxmox VE's are: a ticket says
 * who and since when ({@code VSL1:alice:6571A3F0::SIGNATURE}) and is good for {@link #LIFETIME}; the CSRF token is bound
 * to the same user and time, so a page that has the cookie but not the token (another site's form) cannot change
 * anything. Nothing is stored per ticket: the key proves it, and a new key logs everybody out.
 */
public final class Tickets {
    public static final Duration LIFETIME = Duration.ofHours(2);
    /** A ticket issued by a clock this far ahead still counts. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private static final String PREFIX = "VSL1:";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] key;
    private final Clock clock;

    public Tickets(byte[] key, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the ticket key needs 32 bytes");
        }
        this.key = key.clone();
        this.clock = clock;
    }

    /** One issued ticket, its CSRF token and when it ends. */
    public record Issued(String user, String ticket, String csrfToken, Instant expires) {
        @Override
        public String toString() {
            return "Issued[" + user + " until " + expires + "]";
        }
    }

    public Issued issue(String user) {
        Instant now = clock.instant();
        String stamp = Long.toHexString(now.getEpochSecond()).toUpperCase(java.util.Locale.ROOT);
        String body = PREFIX + user + ":" + stamp;
        return new Issued(
                user,
                body + "::" + sign("ticket:" + body),
                stamp + ":" + sign("csrf:" + user + ":" + stamp),
                now.plus(LIFETIME));
    }

    /** The ticket's user and time when the signature holds and it has not expired. */
    public Optional<Valid> check(String ticket) {
        if (ticket == null || ticket.length() > 512 || !ticket.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int sep = ticket.lastIndexOf("::");
        if (sep < 0) {
            return Optional.empty();
        }
        String body = ticket.substring(0, sep);
        String sig = ticket.substring(sep + 2);
        if (!MessageDigest.isEqual(
                sign("ticket:" + body).getBytes(StandardCharsets.US_ASCII), sig.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        String[] parts = body.substring(PREFIX.length()).split(":");
        if (parts.length != 2) {
            return Optional.empty();
        }
        Instant issued;
        try {
            issued = Instant.ofEpochSecond(Long.parseLong(parts[1], 16));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (issued.isAfter(now.plus(SKEW)) || !now.isBefore(issued.plus(LIFETIME))) {
            return Optional.empty();
        }
        return Optional.of(new Valid(parts[0], parts[1], issued.plus(LIFETIME)));
    }

    /** A ticket that checked out. */
    public record Valid(String user, String stamp, Instant expires) {}

    /** Whether {@code token} is the CSRF token of this ticket. */
    public boolean csrfMatches(Valid ticket, String token) {
        if (token == null) {
            return false;
        }
        String expected = ticket.stamp() + ":" + sign("csrf:" + ticket.user() + ":" + ticket.stamp());
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.UTF_8));
    }

    private String sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a token's secret, hex: what the store keeps instead of the secret. */
    public static String digest(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
