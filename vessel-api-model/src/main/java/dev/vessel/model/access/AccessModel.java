package dev.vessel.model.access;

import java.time.Instant;
import java.util.List;

/** The bodies of the access routes ({@code /api/v1/access/...}), shared by the daemon and the CLI. */
public final class AccessModel {
    private AccessModel() {}

    /** Log in (or renew: the password may be a valid ticket of the same user). */
    public record TicketRequest(String username, String password) {
        @Override
        public String toString() {
            return "TicketRequest[" + username + ", password=(hidden)]";
        }
    }

    /** A login: the ticket (also set as the cookie), the CSRF token for a browser's non-GET calls, and its end. */
    public record TicketView(String username, String ticket, String csrfPreventionToken, Instant expires) {
        @Override
        public String toString() {
            return "TicketView[" + username + " until " + expires + "]";
        }
    }

    public record UserCreateRequest(String name, String password, List<String> groups, String comment) {
        @Override
        public String toString() {
            return "UserCreateRequest[" + name + ", password=(hidden)]";
        }
    }

    public record PasswordRequest(String password) {
        @Override
        public String toString() {
            return "PasswordRequest[(hidden)]";
        }
    }

    /** @param privsep null for the default, true: the token has only what its own ACL entries give (within its user's) */
    public record TokenCreateRequest(String id, Boolean privsep, Instant expires, String comment) {}

    public record RoleCreateRequest(String name, List<String> privileges) {}

    /** An ACL entry to give or take: role on path to a user, {@code @group} or {@code user!token}. */
    public record AclRequest(String path, String principal, String role, Boolean propagate) {}

    /** Trust a client certificate (PEM) to log in as {@code user}. */
    public record TrustRequest(String name, String certificate, String user) {}

    /** Who is calling, and what it may do on a path. */
    public record WhoAmI(String name, String method, String path, List<String> privileges) {}
}
