package dev.vessel.rest;

import dev.vessel.access.AccessService;
import dev.vessel.access.AclEntry;
import dev.vessel.access.AclPath;
import dev.vessel.access.AuditLog;
import dev.vessel.access.Caller;
import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.access.Tickets;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.access.AccessModel;
import dev.vessel.rest.access.AccessGuard;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/access}: logging in, users, API tokens, roles, the ACL; and {@code /api/v1/audit}. Reads of the realm
 * need Sys.Audit on {@code /access}, changes User.Modify there; a user may always see itself, change its own password
 * and manage its own tokens (but a token may not make tokens).
 */
public final class AccessHttpService implements HttpService {
    private static final AclPath ACCESS = AclPath.parse("/access");
    private final AccessService access;
    private final AuditLog audit;

    public AccessHttpService(AccessService access, AuditLog audit) {
        this.access = access;
        this.audit = audit;
    }

    @Override
    public void routing(Router r) {
        r.post("/api/v1/access/ticket", Need.open(), this::login);
        r.delete("/api/v1/access/ticket", Need.loggedIn(), req -> {
            var out = HttpResponse.noContent();
            return withHeader(
                    out, "Set-Cookie", AccessGuard.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
        });
        r.get("/api/v1/access/whoami", Need.loggedIn(), this::whoami);
        r.get("/api/v1/access/users", Need.kind(Privilege.SYS_AUDIT, "access"), req -> Bodies.ok(access.users()));
        r.post("/api/v1/access/users", Need.kind(Privilege.USER_MODIFY, "access"), req -> {
            var b = Bodies.read(req, AccessModel.UserCreateRequest.class);
            return Bodies.json(201, access.addUser(b.name(), b.password(), b.groups(), b.comment()));
        });
        r.get("/api/v1/access/users/{name}", Need.loggedIn(), req -> {
            selfOr(req, Privilege.SYS_AUDIT);
            return Bodies.ok(access.user(req.pathParam("name")));
        });
        r.delete("/api/v1/access/users/{name}", Need.kind(Privilege.USER_MODIFY, "access"), req -> {
            access.removeUser(req.pathParam("name"));
            return HttpResponse.noContent();
        });
        r.put("/api/v1/access/users/{name}/password", Need.loggedIn(), req -> {
            selfOr(req, Privilege.USER_MODIFY);
            noToken(req, "change a password");
            access.setPassword(
                    req.pathParam("name"),
                    Bodies.read(req, AccessModel.PasswordRequest.class).password());
            return HttpResponse.noContent();
        });
        r.get("/api/v1/access/users/{name}/tokens", Need.loggedIn(), req -> {
            selfOr(req, Privilege.SYS_AUDIT);
            access.user(req.pathParam("name"));
            return Bodies.ok(access.tokens(req.pathParam("name")));
        });
        r.post("/api/v1/access/users/{name}/tokens", Need.loggedIn(), req -> {
            selfOr(req, Privilege.USER_MODIFY);
            noToken(req, "make tokens");
            var b = Bodies.read(req, AccessModel.TokenCreateRequest.class);
            return Bodies.json(
                    201,
                    access.addToken(
                            req.pathParam("name"),
                            b.id(),
                            b.privsep() == null || b.privsep(),
                            b.expires(),
                            b.comment()));
        });
        r.delete("/api/v1/access/users/{name}/tokens/{id}", Need.loggedIn(), req -> {
            selfOr(req, Privilege.USER_MODIFY);
            access.removeToken(req.pathParam("name"), req.pathParam("id"));
            return HttpResponse.noContent();
        });
        r.get(
                "/api/v1/access/roles",
                Need.loggedIn(),
                req -> Bodies.ok(access.roles().stream()
                        .map(x -> Map.of(
                                "name", x.name(),
                                "builtin", x.builtin(),
                                "privileges",
                                        x.privileges().stream()
                                                .sorted()
                                                .map(Privilege::id)
                                                .toList()))
                        .toList()));
        r.post("/api/v1/access/roles", Need.kind(Privilege.USER_MODIFY, "access"), req -> {
            var b = Bodies.read(req, AccessModel.RoleCreateRequest.class);
            var privs = EnumSet.noneOf(Privilege.class);
            (b.privileges() == null ? List.<String>of() : b.privileges()).forEach(p -> privs.add(Privilege.parse(p)));
            return Bodies.json(201, access.addRole(b.name(), privs));
        });
        r.delete("/api/v1/access/roles/{name}", Need.kind(Privilege.USER_MODIFY, "access"), req -> {
            access.removeRole(req.pathParam("name"));
            return HttpResponse.noContent();
        });
        r.get("/api/v1/access/acl", Need.kind(Privilege.SYS_AUDIT, "access"), req -> Bodies.ok(access.acl()));
        r.put("/api/v1/access/acl", Need.loggedIn(), req -> {
            var b = Bodies.read(req, AccessModel.AclRequest.class);
            var e = new AclEntry(b.path(), b.principal(), b.role(), b.propagate() == null || b.propagate());
            return Bodies.ok(access.grant(req.caller(), e));
        });
        r.delete("/api/v1/access/acl", Need.loggedIn(), req -> {
            access.revoke(
                    req.caller(),
                    required(req, "path"),
                    required(req, "principal"),
                    req.queryParam("role").orElse(null));
            return HttpResponse.noContent();
        });
        r.get(
                "/api/v1/access/certificates",
                Need.kind(Privilege.SYS_AUDIT, "access"),
                req -> Bodies.ok(access.certificates()));
        r.post("/api/v1/access/certificates", Need.kind(Privilege.USER_MODIFY, "access"), req -> {
            var b = Bodies.read(req, AccessModel.TrustRequest.class);
            return Bodies.json(201, access.trust(b.name(), b.certificate(), b.user()));
        });
        r.delete("/api/v1/access/certificates/{name}", Need.kind(Privilege.USER_MODIFY, "access"), req -> {
            access.untrust(req.pathParam("name"));
            return HttpResponse.noContent();
        });
        r.get("/api/v1/audit", Need.node(Privilege.SYS_AUDIT), req -> {
            Instant since = null;
            if (req.queryParam("since").isPresent()) {
                try {
                    since = Instant.parse(req.queryParam("since").get());
                } catch (DateTimeParseException e) {
                    throw VesselException.invalid(
                            "since", "'" + req.queryParam("since").get() + "' is not an ISO-8601 instant");
                }
            }
            return Bodies.ok(
                    audit.read(req.queryParam("user").orElse(null), since, req.queryInt("limit", 1000, 1, 100_000)));
        });
    }

    private HttpResponse login(HttpRequest req) {
        var b = Bodies.read(req, AccessModel.TicketRequest.class);
        Tickets.Issued t = access.login(b.username(), b.password(), req.remote());
        var view = new AccessModel.TicketView(t.user(), t.ticket(), t.csrfToken(), t.expires());
        long maxAge = Tickets.LIFETIME.toSeconds();
        return withHeader(
                HttpResponse.json(200, Json.bytes(view)),
                "Set-Cookie",
                AccessGuard.COOKIE + "=" + t.ticket() + "; Path=/; Max-Age=" + maxAge
                        + "; HttpOnly; Secure; SameSite=Strict");
    }

    private HttpResponse whoami(HttpRequest req) {
        AclPath path = AclPath.parse(req.queryParam("path").orElse("/"));
        Caller c = req.caller();
        var privs = EnumSet.allOf(Privilege.class).stream()
                .filter(p -> c.can(p, path))
                .map(Privilege::id)
                .toList();
        return Bodies.ok(new AccessModel.WhoAmI(c.name(), c.method(), path.value(), privs));
    }

    private static void selfOr(HttpRequest req, Privilege p) {
        Caller c = req.caller();
        boolean self = c instanceof Caller.User u && u.user().equals(req.pathParam("name"));
        if (!self && !c.can(p, ACCESS)) {
            throw AccessService.forbidden(c, p, ACCESS);
        }
    }

    private static void noToken(HttpRequest req, String what) {
        if (req.caller() instanceof Caller.User u && u.token() != null) {
            throw new VesselException(ProblemType.FORBIDDEN, "an API token may not " + what + "; log in as the user");
        }
    }

    private static String required(HttpRequest req, String name) {
        return req.queryParam(name).orElseThrow(() -> VesselException.invalid(name, "is required"));
    }

    private static HttpResponse withHeader(HttpResponse r, String name, String value) {
        if (r instanceof HttpResponse.Full f) {
            var h = new java.util.LinkedHashMap<>(f.headers());
            h.put(name, value);
            return new HttpResponse.Full(f.status(), f.contentType(), f.body(), h);
        }
        return r;
    }
}
