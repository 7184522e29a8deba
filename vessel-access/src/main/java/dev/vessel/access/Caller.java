package dev.vessel.access;

import java.util.Set;
import java.util.function.Function;

/**
 * Who is calling, once a face has authenticated the request. {@link #CURRENT} holds it while a request runs, so the
 * engine can record it (a task's user, as in a Proxmox VE UPID) without every service passing it along.
 */
public sealed interface Caller {
    ScopedValue<Caller> CURRENT = ScopedValue.newInstance();

    /** A request that proved nothing (yet): it may call only open routes. */
    Caller ANONYMOUS = new Anonymous();

    /** {@code root} for the administrator, {@code alice}, or {@code alice!ci} for one of her tokens. */
    String name();

    boolean can(Privilege privilege, AclPath path);

    /** How the caller proved who it is: socket, ticket, token, certificate. */
    String method();

    /** The caller of the running request, or the administrator outside one (the daemon's own work). */
    static Caller current() {
        return CURRENT.isBound() ? CURRENT.get() : Admin.DAEMON;
    }

    /**
     * The administrator: root on the unix socket (file permissions already proved it), or the daemon itself. It may
     * do everything and is not subject to the ACL.
     */
    record Admin(String name, String method) implements Caller {
        public static final Admin SOCKET = new Admin("root", "socket");
        public static final Admin DAEMON = new Admin("daemon", "internal");

        @Override
        public boolean can(Privilege privilege, AclPath path) {
            return true;
        }
    }

    /** Nobody in particular: may do nothing. */
    record Anonymous() implements Caller {
        @Override
        public String name() {
            return "anonymous";
        }

        @Override
        public boolean can(Privilege privilege, AclPath path) {
            return false;
        }

        @Override
        public String method() {
            return "none";
        }
    }

    /**
     * A user of the realm, or one of its tokens ({@code token} non-null). {@code grants} answers with what the ACL gives
     * on a path; for a token with privilege separation it is already the intersection with its user's.
     *
     * @param cookie authenticated by the browser's ticket cookie: its non-GET requests need the CSRF token
     */
    record User(String user, String token, String method, boolean cookie, Function<AclPath, Set<Privilege>> grants)
            implements Caller {
        @Override
        public String name() {
            return token == null ? user : user + "!" + token;
        }

        @Override
        public boolean can(Privilege privilege, AclPath path) {
            return grants.apply(path).contains(privilege);
        }

        @Override
        public String toString() {
            return "User[" + name() + " by " + method + "]";
        }
    }
}
