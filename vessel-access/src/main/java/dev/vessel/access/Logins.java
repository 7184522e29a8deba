package dev.vessel.access;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who a credential stands for: a password (a login, which gives a ticket), a ticket, or an API token; and what the
 * caller it makes may do, worked out from the current state at each check, so a changed ACL counts at once.
 */
final class Logins {
    private static final System.Logger LOG = System.getLogger(Logins.class.getName());

    private final Supplier<AccessState> state;
    private final PasswordHasher hasher;
    private final Tickets tickets;
    private final LoginThrottle throttle;
    private final Clock clock;

    Logins(Supplier<AccessState> state, PasswordHasher hasher, Tickets tickets, LoginThrottle throttle, Clock clock) {
        this.state = state;
        this.hasher = hasher;
        this.tickets = tickets;
        this.throttle = throttle;
        this.clock = clock;
    }

    /**
     * A ticket for {@code user} when {@code password} is right, or when it is a valid ticket of that user (renewal, as
     * in Proxmox VE). Unknown users and wrong passwords get the same answer after the same work; past
     * {@link LoginThrottle}'s limits every attempt is refused with 429 before any check.
     */
    Tickets.Issued login(String user, String password, String address) {
        if (user == null || password == null || user.length() > 64 || password.length() > 4096) {
            throw failed();
        }
        var wait = throttle.refused(user, address);
        if (wait.isPresent()) {
            throw new VesselException(
                    ProblemType.TOO_MANY_REQUESTS,
                    "too many failed logins; try again in "
                            + Math.max(1, wait.get().toSeconds()) + " s",
                    Map.of("retryAfter", Math.max(1, wait.get().toSeconds())),
                    null);
        }
        var renewed = tickets.check(password);
        Optional<User> u = state.get().user(user);
        boolean ok;
        if (renewed.isPresent()) {
            ok = renewed.get().user().equals(user) && u.isPresent() && u.get().enabled();
            hasher.burn(password);
        } else {
            ok = hasher.verify(password, u.map(User::passwordHash).orElse(null))
                    && u.get().enabled();
        }
        if (!ok) {
            throttle.failed(user, address);
            LOG.log(System.Logger.Level.INFO, "failed login for ''{0}'' from {1}", printable(user), address);
            throw failed();
        }
        throttle.succeeded(user);
        return tickets.issue(user);
    }

    private static VesselException failed() {
        return new VesselException(ProblemType.UNAUTHORIZED, "authentication failed: wrong user name or password");
    }

    /** The caller a ticket (from a cookie or a bearer header) stands for, if it is valid and its user still exists. */
    Optional<Caller.User> byTicket(String ticket, boolean cookie) {
        return tickets.check(ticket)
                .flatMap(v ->
                        state.get().user(v.user()).filter(User::enabled).map(u -> userCaller(u, "ticket", cookie)));
    }

    /** Whether {@code csrfToken} belongs to {@code ticket}. */
    boolean csrfMatches(String ticket, String csrfToken) {
        return tickets.check(ticket).map(v -> tickets.csrfMatches(v, csrfToken)).orElse(false);
    }

    /** The caller an API token ({@code alice!ci=SECRET}) stands for, if it exists, has not expired and matches. */
    Optional<Caller.User> byToken(String value) {
        if (value == null || value.length() > 256) {
            return Optional.empty();
        }
        int bang = value.indexOf('!');
        int eq = value.indexOf('=', bang + 1);
        if (bang <= 0 || eq < 0) {
            return Optional.empty();
        }
        String user = value.substring(0, bang);
        String id = value.substring(bang + 1, eq);
        String digest = Tickets.digest(value.substring(eq + 1));
        var s = state.get();
        var t = s.token(user, id);
        // Compare against something either way, so a missing token costs what a wrong secret does.
        byte[] expected = t.map(ApiToken::secretDigest).orElse("0".repeat(64)).getBytes(StandardCharsets.US_ASCII);
        boolean match = MessageDigest.isEqual(expected, digest.getBytes(StandardCharsets.US_ASCII));
        if (t.isEmpty() || !match || t.get().expired(clock.instant())) {
            return Optional.empty();
        }
        ApiToken token = t.get();
        return s.user(user).filter(User::enabled).map(u -> tokenCaller(u, token));
    }

    Caller.User userCaller(User u, String method, boolean cookie) {
        String name = u.name();
        Set<String> groups = Set.copyOf(u.groups());
        return new Caller.User(name, null, method, cookie, path -> {
            var s = state.get();
            return Grants.of(s.acl(), s::role, name, groups, path);
        });
    }

    Caller.User tokenCaller(User u, ApiToken t) {
        String name = u.name();
        Set<String> groups = Set.copyOf(u.groups());
        String full = t.fullId();
        boolean privsep = t.privsep();
        return new Caller.User(name, t.id(), "token", false, path -> {
            var s = state.get();
            Set<Privilege> user = Grants.of(s.acl(), s::role, name, groups, path);
            if (!privsep) {
                return user;
            }
            Set<Privilege> own = EnumSet.noneOf(Privilege.class);
            own.addAll(Grants.of(s.acl(), s::role, full, Set.of(), path));
            own.retainAll(user);
            return own;
        });
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
