package dev.vessel.image.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.vessel.core.error.VesselException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:9f86d0...}. Only sha256 is accepted: it is what every registry and
 * {@code docker save} produce, and refusing the rest keeps one hashing path to verify.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    public Digest {
        if (!"sha256".equals(algorithm)) {
            throw VesselException.invalid("digest", "unsupported digest algorithm '" + algorithm + "' (only sha256)");
        }
        if (hex == null || !HEX64.matcher(hex).matches()) {
            throw VesselException.invalid("digest", "'" + hex + "' is not 64 lowercase hex digits");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Digest parse(String text) {
        if (text == null) {
            throw VesselException.invalid("digest", "a digest is required");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw VesselException.invalid("digest", "'" + text + "' is not of the form sha256:<hex>");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256Hex(String hex) {
        return new Digest("sha256", hex);
    }

    public static Digest of(byte[] content) {
        MessageDigest md = sha256();
        return fromHash(md.digest(content));
    }

    public static Digest fromHash(byte[] hash) {
        return new Digest("sha256", HexFormat.of().formatHex(hash));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The 12-digit form the CLI shows, as Docker does. */
    public String shortId() {
        return hex.substring(0, 12);
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
