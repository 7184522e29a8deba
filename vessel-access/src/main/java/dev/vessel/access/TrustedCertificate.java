package dev.vessel.access;

import java.time.Instant;

/**
 * A client certificate that logs in as {@code user} (Incus's trust store, with a user behind each entry so the ACL
 * applies): a client that shows it in the TLS handshake needs no ticket or token. Known by its SHA-256 fingerprint;
 * the store keeps the certificate itself too, for review.
 */
public record TrustedCertificate(
        String name, String fingerprint, String user, String subject, Instant notAfter, String pem, Instant created) {
    public TrustedCertificate {
        Names.tokenId(name);
        Names.user(user);
    }

    /** The entry without its PEM, for lists. */
    public TrustedCertificate summary() {
        return new TrustedCertificate(name, fingerprint, user, subject, notAfter, null, created);
    }
}
