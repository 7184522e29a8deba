package dev.vessel.http;

import dev.vessel.access.Caller;
import dev.vessel.access.Need;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A listener's access control: who a request is from, whether the route it matched may run for that caller, and what
 * to remember once it has been answered (the audit log). The unix socket's guard makes every caller the
 * administrator (its file permissions already did the checking); the daemon's TCP guard is the access service's.
 */
public interface Guard {
    /**
     * The request's caller: {@link Caller#ANONYMOUS} when it carries no credential, so that open routes still work.
     *
     * @throws VesselException UNAUTHORIZED for a credential that is there but wrong or expired
     */
    Caller authenticate(HttpRequest request);

    /** Lets the matched route run (returning the request to run it with), or throws 401/403. */
    HttpRequest admit(Need need, HttpRequest matched) throws Exception;

    /** Called once the answer is settled: before a whole answer goes out, after a stream or an upgrade ends. */
    default void completed(HttpRequest request, int status, HttpResponse answer) {}

    /** The unix socket: root, by the socket's permissions. */
    Guard LOCAL_ADMIN = new Guard() {
        @Override
        public Caller authenticate(HttpRequest request) {
            return Caller.Admin.SOCKET;
        }

        @Override
        public HttpRequest admit(Need need, HttpRequest matched) {
            return matched;
        }
    };

    /** One shared bearer token that makes its holder the administrator: for tests and tools, not for people. */
    static Guard bearer(String token) {
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("a bearer guard needs a token of at least 16 characters");
        }
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        return new Guard() {
            @Override
            public Caller authenticate(HttpRequest request) {
                String auth = request.header("Authorization").orElse(null);
                if (auth == null) {
                    return Caller.ANONYMOUS;
                }
                if (auth.regionMatches(true, 0, "Bearer ", 0, 7)
                        && MessageDigest.isEqual(auth.substring(7).trim().getBytes(StandardCharsets.UTF_8), expected)) {
                    return new Caller.Admin("root", "token");
                }
                throw new VesselException(ProblemType.UNAUTHORIZED, "a valid bearer token is required");
            }

            @Override
            public HttpRequest admit(Need need, HttpRequest matched) {
                return admitAdminOnly(need, matched);
            }
        };
    }

    /** The rule for a guard whose callers are all-or-nothing: open routes for anyone, the rest for an admin. */
    static HttpRequest admitAdminOnly(Need need, HttpRequest matched) {
        if (need instanceof Need.Open) {
            return matched;
        }
        if (matched.caller() instanceof Caller.Anonymous) {
            throw new VesselException(ProblemType.UNAUTHORIZED, "a valid bearer token is required");
        }
        if (need instanceof Need.LocalAdmin && !"socket".equals(matched.caller().method())) {
            throw new VesselException(ProblemType.FORBIDDEN, "this route is for root on the unix socket only");
        }
        return matched;
    }
}
