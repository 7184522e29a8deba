package dev.vessel.rest.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.access.AccessService;
import dev.vessel.access.AclPath;
import dev.vessel.access.AuditLog;
import dev.vessel.access.Caller;
import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.host.Json;
import dev.vessel.http.Guard;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The daemon's guard. On TCP it authenticates a request by its ticket (the {@code VesselAuthCookie} cookie of a
 * browser, or {@code Authorization: Bearer VSL1:...}), its API token ({@code Authorization: Bearer alice!ci=SECRET})
 * or a trusted client certificate shown in the TLS handshake,
 * checks each route's {@link Need} against the ACL, and asks a cookie's non-GET requests for their CSRF token. On the
 * unix socket every caller is root. On both it writes every mutating call to the audit log.
 */
public final class AccessGuard implements Guard {
    public static final String COOKIE = "VesselAuthCookie";
    public static final String CSRF_HEADER = "CSRFPreventionToken";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final AccessService access;
    private final AuditLog audit;
    private final Function<String, Optional<InstanceKind>> kinds;
    private final byte[] legacyToken;
    private final boolean local;
    private final Clock clock;
    private volatile dev.vessel.access.ProjectScope projects = dev.vessel.access.ProjectScope.OWN;

    /**
     * @param kinds what kind of instance a name is, if there is one (instance privileges depend on it)
     * @param legacyToken the api-token file's token, which stays root's on TCP; null for none
     * @param local the unix socket: every caller is root
     */
    public AccessGuard(
            AccessService access,
            AuditLog audit,
            Function<String, Optional<InstanceKind>> kinds,
            String legacyToken,
            boolean local,
            Clock clock) {
        this.access = access;
        this.audit = audit;
        this.kinds = kinds;
        this.legacyToken = legacyToken == null ? null : legacyToken.getBytes(StandardCharsets.UTF_8);
        this.local = local;
        this.clock = clock;
    }

    /** Which project holds networks and images for a request's project (their ACL paths are that project's). */
    public AccessGuard projects(dev.vessel.access.ProjectScope scope) {
        this.projects = scope;
        return this;
    }

    @Override
    public Caller authenticate(HttpRequest req) {
        if (local) {
            return Caller.Admin.SOCKET;
        }
        String auth = req.header("Authorization").orElse(null);
        if (auth != null) {
            if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw unauthorized("the Authorization header must be 'Bearer TICKET' or 'Bearer USER!TOKEN=SECRET'");
            }
            String value = auth.substring(7).strip();
            Optional<? extends Caller> who;
            if (value.startsWith("VSL1:")) {
                who = access.byTicket(value, false);
            } else if (value.indexOf('!') > 0) {
                who = access.byToken(value);
            } else {
                who = legacyToken != null && MessageDigest.isEqual(legacyToken, value.getBytes(StandardCharsets.UTF_8))
                        ? Optional.of(new Caller.Admin("root", "token"))
                        : Optional.empty();
            }
            return who.orElseThrow(() -> unauthorized("the ticket or token is invalid or has expired; log in again"));
        }
        String ticket = cookie(req, COOKIE);
        if (ticket != null) {
            return access.byTicket(ticket, true)
                    .orElseThrow(() -> unauthorized("the login has expired or is invalid; log in again"));
        }
        // A certificate in the handshake that is not trusted proves nothing: the caller stays anonymous.
        return access.byCertificate(req.clientCertificate()).<Caller>map(c -> c).orElse(Caller.ANONYMOUS);
    }

    @Override
    public HttpRequest admit(Need need, HttpRequest req) {
        if (need instanceof Need.Open) {
            return req;
        }
        Caller c = req.caller();
        if (c instanceof Caller.Anonymous) {
            throw unauthorized(
                    req.clientCertificate() == null
                            ? "log in first (POST /api/v1/access/ticket) or send an API token"
                            : "the client certificate " + req.clientCertificate()
                                    + " is not trusted (vessel trust add); log in or send an API token");
        }
        if (c instanceof Caller.User u && u.cookie() && !SAFE.contains(req.method())) {
            String ticket = cookie(req, COOKIE);
            if (!access.csrfMatches(ticket, req.header(CSRF_HEADER).orElse(null))) {
                throw new VesselException(
                        ProblemType.FORBIDDEN,
                        "this request needs the " + CSRF_HEADER + " header that came with the login ticket");
            }
        }
        switch (need) {
            case Need.Open o -> {}
            case Need.LoggedIn l -> {}
            case Need.LocalAdmin l -> {
                if (!"socket".equals(c.method())) {
                    throw new VesselException(ProblemType.FORBIDDEN, "this route is for root on the unix socket only");
                }
            }
            case Need.On on -> {
                String project = req.project();
                AclPath path =
                        on.path(req.pathParams(), on.inProject() ? projects.holder(on.kind(), project) : project);
                if (!c.can(on.privilege(), path)) {
                    throw AccessService.forbidden(c, on.privilege(), path);
                }
            }
            case Need.OnInstance oi -> instance(c, oi.action(), req.pathParams().get(oi.param()));
        }
        return req;
    }

    private void instance(Caller c, Need.Action action, String name) {
        if (c instanceof Caller.Admin) {
            return;
        }
        AclPath vm = AclPath.of("vms", name);
        AclPath ct = AclPath.of("containers", name);
        Optional<InstanceKind> kind = kinds.apply(name);
        if (kind.isEmpty()) {
            // Nothing by that name: whoever could act on either kind learns that (404); nobody else does (403).
            if (!c.can(action.vm, vm) && !c.can(action.container, ct)) {
                throw AccessService.forbidden(c, action.vm, vm);
            }
            return;
        }
        Privilege p = kind.get() == InstanceKind.VM ? action.vm : action.container;
        AclPath path = kind.get() == InstanceKind.VM ? vm : ct;
        if (!c.can(p, path)) {
            throw AccessService.forbidden(c, p, path);
        }
    }

    @Override
    public void completed(HttpRequest req, int status, HttpResponse answer) {
        if (SAFE.contains(req.method()) || req.path().equals("/api/v1/cli")) {
            return;
        }
        String task = null;
        String error = null;
        if (answer instanceof HttpResponse.Full f && f.body().length > 0 && f.body().length < 1 << 20) {
            JsonNode j = parse(f.body());
            if (j != null && status == 202 && j.path("id").isTextual() && j.has("operation")) {
                task = j.path("id").asText();
            }
            if (j != null && status >= 400) {
                error = j.path("detail").asText(null);
            }
        }
        audit.record(new AuditLog.Entry(
                clock.instant(),
                req.caller().name(),
                req.caller().method(),
                req.remote(),
                req.method(),
                req.rawPath(),
                project(req),
                status,
                task,
                error));
    }

    /** The request's project for the audit log: null for the default one, and for a name that was refused. */
    private static String project(HttpRequest req) {
        try {
            String p = req.project();
            return p.equals(dev.vessel.core.model.ProjectKey.DEFAULT_PROJECT) ? null : p;
        } catch (VesselException e) {
            return null;
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** The value of cookie {@code name} in the request's Cookie header, or null. */
    public static String cookie(HttpRequest req, String name) {
        String header = req.header("Cookie").orElse(null);
        if (header == null || header.length() > 8192) {
            return null;
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
                return part.substring(eq + 1).strip();
            }
        }
        return null;
    }

    private static VesselException unauthorized(String message) {
        return new VesselException(ProblemType.UNAUTHORIZED, message, Map.of(), null);
    }
}
