package dev.vessel.access;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The engine's access service: the local realm's users, logins and tickets, API tokens, roles and the ACL, and the
 * answer to "what may this caller do here". Faces authenticate a request with it and check each route's {@link Need};
 * they never look at the state themselves.
 */
public final class AccessService {
    private static final System.Logger LOG = System.getLogger(AccessService.class.getName());
    public static final int MIN_PASSWORD = 8;

    private final AccessStore store;
    private final PasswordHasher hasher;
    private final Tickets tickets;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile AccessState state;
    private final Logins logins;

    public AccessService(
            AccessStore store, PasswordHasher hasher, Tickets tickets, LoginThrottle throttle, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.tickets = tickets;
        this.throttle = throttle;
        this.clock = clock;
        this.state = store.read();
        this.logins = new Logins(() -> state, hasher, tickets, throttle, clock);
    }

    public AccessState state() {
        return state;
    }

    // ---- logging in and authenticating (see Logins)

    /** See {@link Logins#login}. */
    public Tickets.Issued login(String user, String password, String address) {
        return logins.login(user, password, address);
    }

    public Optional<Caller.User> byTicket(String ticket, boolean cookie) {
        return logins.byTicket(ticket, cookie);
    }

    public boolean csrfMatches(String ticket, String csrfToken) {
        return logins.csrfMatches(ticket, csrfToken);
    }

    public Optional<Caller.User> byToken(String value) {
        return logins.byToken(value);
    }

    /** The caller a client certificate (by its SHA-256 fingerprint) stands for, if it is trusted and not expired. */
    public Optional<Caller.User> byCertificate(String fingerprint) {
        if (fingerprint == null) {
            return Optional.empty();
        }
        var s = state;
        return s.certificates().stream()
                .filter(c -> c.fingerprint().equalsIgnoreCase(fingerprint))
                .filter(c -> c.notAfter() == null || clock.instant().isBefore(c.notAfter()))
                .findFirst()
                .flatMap(c -> s.user(c.user()))
                .filter(User::enabled)
                .map(u -> logins.userCaller(u, "certificate", false));
    }

    // ---- trusted client certificates

    public List<TrustedCertificate> certificates() {
        return state.certificates().stream().map(TrustedCertificate::summary).toList();
    }

    /** Trusts a client certificate (PEM) to log in as {@code user}. */
    public synchronized TrustedCertificate trust(String name, String pem, String user) {
        Names.tokenId(name);
        state.user(user).orElseThrow(() -> noUser(user));
        if (pem == null || pem.length() > 64 * 1024) {
            throw VesselException.invalid("certificate", "a PEM certificate (at most 64 KiB) is required");
        }
        var cert = dev.vessel.access.tls.NodeCertificates.parsePem(pem);
        String fp = dev.vessel.access.tls.NodeCertificates.Identity.fingerprint(cert);
        if (state.certificates().stream().anyMatch(c -> c.name().equals(name))) {
            throw new VesselException(ProblemType.ALREADY_EXISTS, "a trusted certificate '" + name + "' exists");
        }
        if (state.certificates().stream().anyMatch(c -> c.fingerprint().equals(fp))) {
            throw new VesselException(ProblemType.ALREADY_EXISTS, "that certificate is trusted already (" + fp + ")");
        }
        if (cert.getNotAfter().toInstant().isBefore(clock.instant())) {
            throw VesselException.invalid(
                    "certificate", "it expired on " + cert.getNotAfter().toInstant());
        }
        var t = new TrustedCertificate(
                name,
                fp,
                user,
                cert.getSubjectX500Principal().getName(),
                cert.getNotAfter().toInstant(),
                pem.strip() + "\n",
                clock.instant());
        update(s -> s.withCertificates(AccessState.plus(s.certificates(), t)));
        return t.summary();
    }

    public synchronized void untrust(String name) {
        if (state.certificates().stream().noneMatch(c -> c.name().equals(name))) {
            throw new VesselException(ProblemType.NOT_FOUND, "no trusted certificate '" + name + "'");
        }
        update(s -> s.withCertificates(
                AccessState.without(s.certificates(), c -> c.name().equals(name))));
    }

    // ---- users

    public List<UserView> users() {
        var s = state;
        return s.users().stream()
                .map(u -> new UserView(u.name(), u.groups(), u.enabled(), u.comment(), u.created(), (int)
                        s.tokens().stream()
                                .filter(t -> t.user().equals(u.name()))
                                .count()))
                .toList();
    }

    public UserView user(String name) {
        return users().stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow(() -> noUser(name));
    }

    public synchronized UserView addUser(String name, String password, List<String> groups, String comment) {
        Names.user(name);
        if (name.equals("root") || name.equals("daemon")) {
            throw VesselException.invalid(
                    "user", "'" + name + "' is reserved: root is the unix socket's administrator");
        }
        checkPassword(password);
        if (state.user(name).isPresent()) {
            throw new VesselException(ProblemType.ALREADY_EXISTS, "user '" + name + "' already exists");
        }
        var u = new User(
                name, hasher.hash(password), groups == null ? List.of() : groups, true, comment, clock.instant());
        update(s -> s.withUsers(AccessState.plus(s.users(), u)));
        return user(name);
    }

    public synchronized void setPassword(String name, String password) {
        checkPassword(password);
        User u = state.user(name).orElseThrow(() -> noUser(name));
        String hash = hasher.hash(password);
        update(s -> s.withUsers(s.users().stream()
                .map(x -> x.name().equals(name) ? u.withPassword(hash) : x)
                .toList()));
    }

    /** Removes the user, its tokens, its trusted certificates and every ACL entry that names it or its tokens. */
    public synchronized void removeUser(String name) {
        state.user(name).orElseThrow(() -> noUser(name));
        update(s -> new AccessState(
                AccessState.without(s.users(), u -> u.name().equals(name)),
                AccessState.without(s.tokens(), t -> t.user().equals(name)),
                s.roles(),
                AccessState.without(
                        s.acl(),
                        e -> e.principal().equals(name) || e.principal().startsWith(name + "!")),
                AccessState.without(s.certificates(), c -> c.user().equals(name))));
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw VesselException.invalid("password", "a password needs at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > 1024) {
            throw VesselException.invalid("password", "a password may have at most 1024 characters");
        }
    }

    private static VesselException noUser(String name) {
        return new VesselException(ProblemType.NOT_FOUND, "no user '" + name + "'");
    }

    // ---- API tokens

    /** A new token and its secret; the secret is shown here once and never again. */
    public record NewToken(String tokenId, String secret, String value, ApiToken.TokenView token) {
        @Override
        public String toString() {
            return "NewToken[" + tokenId + "]";
        }
    }

    public synchronized NewToken addToken(String user, String id, boolean privsep, Instant expires, String comment) {
        Names.tokenId(id);
        state.user(user).orElseThrow(() -> noUser(user));
        if (state.token(user, id).isPresent()) {
            throw new VesselException(ProblemType.ALREADY_EXISTS, "token '" + user + "!" + id + "' already exists");
        }
        if (expires != null && !expires.isAfter(clock.instant())) {
            throw VesselException.invalid("expires", "'" + expires + "' is not in the future");
        }
        byte[] b = new byte[24];
        random.nextBytes(b);
        String secret = HexFormat.of().formatHex(b);
        var t = new ApiToken(user, id, Tickets.digest(secret), privsep, expires, comment, clock.instant());
        update(s -> s.withTokens(AccessState.plus(s.tokens(), t)));
        return new NewToken(t.fullId(), secret, t.fullId() + "=" + secret, t.view());
    }

    public List<ApiToken.TokenView> tokens(String user) {
        return state.tokens().stream()
                .filter(t -> user == null || t.user().equals(user))
                .map(ApiToken::view)
                .toList();
    }

    public synchronized void removeToken(String user, String id) {
        state.token(user, id)
                .orElseThrow(() -> new VesselException(ProblemType.NOT_FOUND, "no token '" + user + "!" + id + "'"));
        String full = user + "!" + id;
        update(s -> s.withTokens(AccessState.without(s.tokens(), t -> t.user().equals(user) && t.id().equals(id)))
                .withAcl(AccessState.without(s.acl(), e -> e.principal().equals(full))));
    }

    // ---- roles and the ACL

    public List<Role> roles() {
        return List.copyOf(state.roleTable().values());
    }

    public synchronized Role addRole(String name, Set<Privilege> privileges) {
        Role.validName(name);
        if (state.roleTable().containsKey(name)) {
            throw new VesselException(ProblemType.ALREADY_EXISTS, "role '" + name + "' already exists");
        }
        var r = new Role(name, privileges, false);
        update(s -> s.withRoles(AccessState.plus(s.roles(), r)));
        return r;
    }

    public synchronized void removeRole(String name) {
        Role r = state.roleTable().get(name);
        if (r == null) {
            throw new VesselException(ProblemType.NOT_FOUND, "no role '" + name + "'");
        }
        if (r.builtin()) {
            throw VesselException.invalid("role", "'" + name + "' is built in and cannot be removed");
        }
        long uses = state.acl().stream().filter(e -> e.role().equals(name)).count();
        if (uses > 0) {
            throw new VesselException(
                    ProblemType.IN_USE, "role '" + name + "' is given by " + uses + " ACL entries; remove them first");
        }
        update(s -> s.withRoles(AccessState.without(s.roles(), x -> x.name().equals(name))));
    }

    public List<AclEntry> acl() {
        return state.acl();
    }

    /**
     * Gives a role on a path. The caller needs User.Modify there, and every privilege of the role there too: nobody
     * hands out more than they hold (Proxmox VE lets Permissions.Modify hand out anything).
     */
    public synchronized AclEntry grant(Caller caller, AclEntry entry) {
        Role role = state.roleTable().get(entry.role());
        if (role == null) {
            throw VesselException.invalid("role", "no role '" + entry.role() + "'");
        }
        String subject = entry.isGroup() ? null : entry.principal();
        if (subject != null) {
            String user = subject.contains("!") ? subject.substring(0, subject.indexOf('!')) : subject;
            state.user(user).orElseThrow(() -> noUser(user));
            if (subject.contains("!")
                    && state.token(user, subject.substring(subject.indexOf('!') + 1))
                            .isEmpty()) {
                throw new VesselException(ProblemType.NOT_FOUND, "no token '" + subject + "'");
            }
        }
        AclPath path = entry.aclPath();
        requireAll(caller, role.privileges(), path);
        update(s -> s.withAcl(AccessState.plus(
                AccessState.without(
                        s.acl(),
                        e -> e.path().equals(entry.path())
                                && e.principal().equals(entry.principal())
                                && e.role().equals(entry.role())),
                entry)));
        return entry;
    }

    public synchronized void revoke(Caller caller, String path, String principal, String role) {
        AclPath p = AclPath.parse(path);
        var match = state.acl().stream()
                .filter(e -> e.path().equals(p.value())
                        && e.principal().equals(principal)
                        && (role == null || e.role().equals(role)))
                .toList();
        if (match.isEmpty()) {
            throw new VesselException(
                    ProblemType.NOT_FOUND,
                    "no ACL entry for " + principal + " on " + path + (role == null ? "" : " with " + role));
        }
        for (AclEntry e : match) {
            Role r = state.roleTable().get(e.role());
            requireAll(caller, r == null ? Set.of() : r.privileges(), p);
        }
        update(s -> s.withAcl(AccessState.without(s.acl(), match::contains)));
    }

    private static void requireAll(Caller caller, Set<Privilege> privileges, AclPath path) {
        if (!caller.can(Privilege.USER_MODIFY, path)) {
            throw forbidden(caller, Privilege.USER_MODIFY, path);
        }
        var missing = new ArrayList<String>();
        for (Privilege p : privileges) {
            if (!caller.can(p, path)) {
                missing.add(p.id());
            }
        }
        if (!missing.isEmpty()) {
            throw new VesselException(
                    ProblemType.FORBIDDEN,
                    caller.name() + " cannot hand out " + String.join(", ", missing) + " on " + path
                            + ": nobody gives more than they hold",
                    Map.of("missing", missing, "path", path.value()),
                    null);
        }
    }

    /** The problem for a caller that lacks {@code p} on {@code path}. */
    public static VesselException forbidden(Caller caller, Privilege p, AclPath path) {
        return new VesselException(
                ProblemType.FORBIDDEN,
                "permission denied: " + caller.name() + " lacks " + p.id() + " on " + path,
                Map.of("privilege", p.id(), "path", path.value()),
                null);
    }

    /** What {@code subject} (a user or user!token) may do on {@code path}: for {@code vessel acl check}, and tests. */
    public Set<Privilege> effective(String subject, AclPath path) {
        String user = subject.contains("!") ? subject.substring(0, subject.indexOf('!')) : subject;
        User u = state.user(user).orElseThrow(() -> noUser(user));
        if (!subject.contains("!")) {
            return logins.userCaller(u, "check", false).grants().apply(path);
        }
        ApiToken t = state.token(user, subject.substring(subject.indexOf('!') + 1))
                .orElseThrow(() -> new VesselException(ProblemType.NOT_FOUND, "no token '" + subject + "'"));
        return logins.tokenCaller(u, t).grants().apply(path);
    }

    private void update(UnaryOperator<AccessState> change) {
        AccessState next = change.apply(state);
        store.write(next);
        state = next;
    }
}
