package dev.vessel.rest.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.access.Caller;
import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.access.Role;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.testing.Golden;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.Route;
import dev.vessel.rest.ApiRouter;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every route of the API against every built-in role (given on {@code /}), a caller with no role, and no login at all,
 * through the guard the daemon uses. The whole table is a golden file, so a new route (or a changed privilege) shows in
 * review; and the rules every role must keep are checked here, so a route that declared the wrong need fails.
 */
class RouteRoleMatrixTest {
    /** Names in path templates resolve to an instance of this kind ("vm-…" a VM, anything else a container). */
    private static Optional<InstanceKind> kind(String name) {
        return Optional.of(name.startsWith("vm") ? InstanceKind.VM : InstanceKind.CONTAINER);
    }

    private final AccessGuard guard =
            new AccessGuard(null, null, RouteRoleMatrixTest::kind, null, false, Clock.systemUTC());

    static List<Route> routes() {
        return ApiRouter.build(
                        new dev.vessel.engine.service.Services(
                                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                                null),
                        null)
                .routes();
    }

    private static Caller withRole(Role role) {
        return new Caller.User("u", null, "token", false, p -> role.privileges());
    }

    /** allowed, or the status the guard answered */
    private String outcome(Route r, Caller c, String instance) {
        var params = new HashMap<String, String>();
        for (String seg : r.segments()) {
            if (seg.startsWith("{")) {
                params.put(seg.substring(1, seg.length() - 1), instance);
            }
        }
        var req = HttpRequest.of(r.method(), r.template(), Map.of(), new byte[0], "tcp")
                .withPathParams(params)
                .withCaller(c);
        try {
            guard.admit(r.need(), req);
            return "ok";
        } catch (VesselException e) {
            return Integer.toString(e.type().status());
        }
    }

    @Test
    void everyRouteAgainstEveryRole() throws Exception {
        var callers = new LinkedHashMap<String, Caller>();
        for (Role role : Role.BUILTIN) {
            callers.put(role.name(), withRole(role));
        }
        callers.put("anonymous", Caller.ANONYMOUS);
        var table = new StringBuilder("# route | need | " + String.join(" ", callers.keySet()) + " (VM / container)\n");
        for (Route r : routes()) {
            table.append(r.method())
                    .append(' ')
                    .append(r.template())
                    .append(" | ")
                    .append(describe(r.need()))
                    .append(" |");
            for (var e : callers.entrySet()) {
                String vm = outcome(r, e.getValue(), "vm1");
                String ct = outcome(r, e.getValue(), "ct1");
                table.append(' ').append(e.getKey()).append('=').append(vm.equals(ct) ? vm : vm + "/" + ct);
            }
            table.append('\n');
        }
        Golden.assertMatches("route-roles.txt", table.toString());
    }

    @Test
    void theRulesEveryRoleKeeps() {
        var mutating = Set.of("POST", "PUT", "PATCH", "DELETE");
        for (Route r : routes()) {
            String what = r.method() + " " + r.template() + " (" + describe(r.need()) + ")";
            boolean open = r.need() instanceof Need.Open;
            boolean self = r.need() instanceof Need.LoggedIn;
            for (String inst : List.of("vm1", "ct1")) {
                assertThat(outcome(r, Caller.ANONYMOUS, inst))
                        .as("anonymous on %s", what)
                        .isEqualTo(open ? "ok" : "401");
                assertThat(outcome(r, withRole(Role.NO_ACCESS), inst))
                        .as("NoAccess on %s", what)
                        .isEqualTo(open || self ? "ok" : "403");
                if (!(r.need() instanceof Need.LocalAdmin)) {
                    assertThat(outcome(r, withRole(Role.ADMINISTRATOR), inst))
                            .as("Administrator on %s", what)
                            .isEqualTo("ok");
                }
                if (mutating.contains(r.method()) && !open && !self) {
                    assertThat(outcome(r, withRole(Role.AUDITOR), inst))
                            .as("Auditor (reads only) on %s", what)
                            .isEqualTo("403");
                }
                if (r.method().equals("GET") && !(r.need() instanceof Need.LocalAdmin)) {
                    assertThat(outcome(r, withRole(Role.AUDITOR), inst).equals("ok")
                                    || needs(r.need(), Set.of(Privilege.VM_CONSOLE, Privilege.CONTAINER_CONSOLE)))
                            .as("Auditor may read %s", what)
                            .isTrue();
                }
            }
        }
    }

    /** Operators run what exists but never create, remove or reconfigure. */
    @Test
    void operatorsNeverAllocateOrReconfigure() {
        var forbidden = Set.of(
                Privilege.VM_ALLOCATE,
                Privilege.CONTAINER_ALLOCATE,
                Privilege.VM_CONFIG,
                Privilege.CONTAINER_CONFIG,
                Privilege.USER_MODIFY,
                Privilege.SYS_MODIFY,
                Privilege.POOL_ALLOCATE,
                Privilege.NETWORK_ALLOCATE,
                Privilege.IMAGE_ALLOCATE);
        for (Route r : routes()) {
            if (needs(r.need(), forbidden)) {
                assertThat(outcome(r, withRole(Role.OPERATOR), "vm1"))
                        .as("Operator on %s %s", r.method(), r.template())
                        .isEqualTo("403");
            }
        }
    }

    @Test
    void aCookieLoginNeedsTheCsrfTokenForChangesButNotForReads() {
        var cookieUser = new Caller.User("u", null, "ticket", true, p -> Role.ADMINISTRATOR.privileges());
        var post = HttpRequest.of("POST", "/api/v1/instances/vm1/start", Map.of(), new byte[0], "tcp")
                .withPathParams(Map.of("name", "vm1"))
                .withCaller(cookieUser);
        var get = HttpRequest.of("GET", "/api/v1/instances/vm1", Map.of(), new byte[0], "tcp")
                .withPathParams(Map.of("name", "vm1"))
                .withCaller(cookieUser);
        var csrfGuard = new AccessGuard(
                new dev.vessel.access.AccessService(
                        new InMemoryStore(),
                        new dev.vessel.access.PasswordHasher(),
                        new dev.vessel.access.Tickets(new byte[32], Clock.systemUTC()),
                        new dev.vessel.access.LoginThrottle(Clock.systemUTC()),
                        Clock.systemUTC()),
                null,
                RouteRoleMatrixTest::kind,
                null,
                false,
                Clock.systemUTC());
        try {
            csrfGuard.admit(Need.instance(Need.Action.POWER), post);
            throw new AssertionError("a cookie POST without the CSRF token was admitted");
        } catch (VesselException e) {
            assertThat(e.type().status()).isEqualTo(403);
            assertThat(e.getMessage()).contains("CSRFPreventionToken");
        }
        assertThat(csrfGuard.admit(Need.instance(Need.Action.AUDIT), get)).isSameAs(get);
    }

    private static boolean needs(Need n, Set<Privilege> any) {
        return switch (n) {
            case Need.On on -> any.contains(on.privilege());
            case Need.OnInstance oi -> any.contains(oi.action().vm) || any.contains(oi.action().container);
            default -> false;
        };
    }

    private static String describe(Need n) {
        return switch (n) {
            case Need.Open o -> "open";
            case Need.LoggedIn l -> "logged-in";
            case Need.LocalAdmin l -> "unix-socket root";
            case Need.On on ->
                on.privilege().id() + " on "
                        + (on.kind() == null
                                ? "/"
                                : "/" + on.kind() + (on.param() == null ? "" : "/{" + on.param() + "}"));
            case Need.OnInstance oi ->
                "instance " + oi.action().vm.id() + "|" + oi.action().container.id();
        };
    }

    static final class InMemoryStore implements dev.vessel.access.AccessStore {
        private dev.vessel.access.AccessState state = dev.vessel.access.AccessState.EMPTY;

        @Override
        public dev.vessel.access.AccessState read() {
            return state;
        }

        @Override
        public void write(dev.vessel.access.AccessState s) {
            state = s;
        }
    }
}
