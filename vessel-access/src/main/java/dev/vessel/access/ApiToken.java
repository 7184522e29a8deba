package dev.vessel.access;

import java.time.Instant;

/**
 * An API token of a user ({@code alice!ci}). The store keeps the SHA-256 of its secret, never the secret, which is
 * shown once when the token is made. With privilege separation ({@code privsep}, the default) the token may do only
 * what both its own ACL entries and its user's allow; without, what its user may. Either way, never more.
 *
 * @param expires null for a token that does not expire
 */
public record ApiToken(
        String user,
        String id,
        String secretDigest,
        boolean privsep,
        Instant expires,
        String comment,
        Instant created) {
    public ApiToken {
        Names.user(user);
        Names.tokenId(id);
        comment = comment == null ? "" : comment;
    }

    public String fullId() {
        return user + "!" + id;
    }

    public boolean expired(Instant now) {
        return expires != null && !now.isBefore(expires);
    }

    /** The token without its digest, for lists. */
    public TokenView view() {
        return new TokenView(fullId(), user, id, privsep, expires, comment, created);
    }

    public record TokenView(
            String tokenId,
            String user,
            String id,
            boolean privsep,
            Instant expires,
            String comment,
            Instant created) {}

    @Override
    public String toString() {
        return "ApiToken[" + fullId() + "]";
    }
}
