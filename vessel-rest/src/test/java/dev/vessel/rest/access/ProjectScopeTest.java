package dev.vessel.rest.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.access.AclEntry;
import dev.vessel.access.Caller;
import dev.vessel.access.Grants;
import dev.vessel.access.Role;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.Router;
import dev.vessel.rest.ApiRouter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Projects through the real router and guard: a path parameter that names an instance is read in the request's
 * project (header or query), the ACL path is the project's, and a role on {@code /projects/dev} reaches dev's
 * instances and nothing of the default project's, nor the other way round.
 */
class ProjectScopeTest {
    private final AccessGuard guard =
            new AccessGuard(null, null, name -> Optional.of(InstanceKind.VM), null, false, Clock.systemUTC());
    private final Router router = ApiRouter.build(
                    new dev.vessel.engine.service.Services(
                            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                    null)
            .projects(p -> {
                if (!Set.of("dev", "prod").contains(p)) {
                    throw VesselException.notFound("project", p);
                }
            });

    /** dev has images of its own and shares default's networks; lab has networks of its own and shares images. */
    private static final dev.vessel.access.ProjectScope FEATURES = new dev.vessel.access.ProjectScope() {
        @Override
        public void requireExists(String project) {
            if (!Set.of("dev", "lab").contains(project)) {
                throw VesselException.notFound("project", project);
            }
        }

        @Override
        public String holder(String kind, String project) {
            return switch (kind) {
                case "networks" -> project.equals("lab") ? "lab" : "default";
                case "images" -> project.equals("dev") ? "dev" : "default";
                default -> project;
            };
        }
    };

    private final AccessGuard featureGuard = new AccessGuard(
                    null, null, name -> Optional.of(InstanceKind.VM), null, false, Clock.systemUTC())
            .projects(FEATURES);
    private final Router featureRouter = ApiRouter.build(
                    new dev.vessel.engine.service.Services(
                            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                    null)
            .projects(FEATURES);

    private static Caller user(AclEntry... acl) {
        var roles = Map.of("Operator", Role.OPERATOR, "Administrator", Role.ADMINISTRATOR, "Auditor", Role.AUDITOR);
        return new Caller.User("u", null, "token", false, path -> Grants.of(List.of(acl), roles, "u", Set.of(), path));
    }

    /** "ok:KEY" with the instance key the handler got, or the status the request was refused with. */
    private String call(Caller c, String method, String target, Map<String, String> headers) {
        return call(router, guard, c, method, target, headers);
    }

    private static String call(
            Router router, AccessGuard guard, Caller c, String method, String target, Map<String, String> headers) {
        var req = HttpRequest.of(method, target, headers, new byte[0], "tcp").withCaller(c);
        var admitted = new java.util.concurrent.atomic.AtomicReference<HttpRequest>();
        try {
            router.dispatch(req, (need, matched) -> {
                admitted.set(guard.admit(need, matched));
                return admitted.get();
            });
        } catch (VesselException e) {
            if (admitted.get() == null || e.getMessage().startsWith("project ")) {
                return Integer.toString(e.type().status()); // the guard's refusal, or the project check's
            }
        } catch (Exception | Error e) {
            // The handler ran on null services: the request got through the guard and the project check.
        }
        return "ok:" + admitted.get().pathParams().getOrDefault("name", "-");
    }

    @Test
    void anOperatorOfAProjectRunsItsInstancesAndNoOneElses() {
        var devOperator = user(new AclEntry("/projects/dev", "u", "Operator", true));
        var dev = Map.of(HttpRequest.PROJECT_HEADER, "dev");
        assertThat(call(devOperator, "POST", "/api/v1/instances/web/start", dev))
                .isEqualTo("ok:web.dev");
        assertThat(call(devOperator, "POST", "/api/v1/instances/web/start?project=dev", Map.of()))
                .isEqualTo("ok:web.dev");
        // The same name in the default project, and in another project, is another instance.
        assertThat(call(devOperator, "POST", "/api/v1/instances/web/start", Map.of()))
                .isEqualTo("403");
        assertThat(call(devOperator, "POST", "/api/v1/instances/web/start", Map.of(HttpRequest.PROJECT_HEADER, "prod")))
                .isEqualTo("403");
        // Operators run what exists; making one is VM.Allocate on /projects/dev/vms.
        assertThat(call(devOperator, "POST", "/api/v1/vms", dev)).isEqualTo("403");
        var devAdmin = user(new AclEntry("/projects/dev", "u", "Administrator", true));
        assertThat(call(devAdmin, "POST", "/api/v1/vms", dev)).isEqualTo("ok:-");
        assertThat(call(devAdmin, "DELETE", "/api/v1/instances/db", dev)).isEqualTo("ok:db.dev");
        assertThat(call(devAdmin, "POST", "/api/v1/vms", Map.of())).isEqualTo("403");
    }

    @Test
    void rightsOnTheDefaultProjectsKindsDoNotReachIntoOtherProjects() {
        var vmsAdmin = user(new AclEntry("/vms", "u", "Administrator", true));
        assertThat(call(vmsAdmin, "POST", "/api/v1/instances/web/stop", Map.of()))
                .isEqualTo("ok:web");
        assertThat(call(vmsAdmin, "POST", "/api/v1/instances/web/stop", Map.of(HttpRequest.PROJECT_HEADER, "dev")))
                .isEqualTo("403");
        var rootAuditor = user(new AclEntry("/", "u", "Auditor", true));
        assertThat(call(rootAuditor, "GET", "/api/v1/instances/web", Map.of(HttpRequest.PROJECT_HEADER, "dev")))
                .isEqualTo("ok:web.dev");
        var oneVm = user(new AclEntry("/projects/dev/vms/web", "u", "Operator", false));
        assertThat(call(oneVm, "POST", "/api/v1/instances/web/start", Map.of(HttpRequest.PROJECT_HEADER, "dev")))
                .isEqualTo("ok:web.dev");
        assertThat(call(oneVm, "POST", "/api/v1/instances/db/start", Map.of(HttpRequest.PROJECT_HEADER, "dev")))
                .isEqualTo("403");
    }

    @Test
    void aBadOrUnknownProjectIsRefusedClearly() {
        var admin = user(new AclEntry("/", "u", "Administrator", true));
        assertThat(call(admin, "GET", "/api/v1/instances/web", Map.of(HttpRequest.PROJECT_HEADER, "Dev!")))
                .isEqualTo("400");
        assertThat(call(admin, "GET", "/api/v1/instances/web", Map.of(HttpRequest.PROJECT_HEADER, "nope")))
                .isEqualTo("404");
        // A key is not a name: the project goes in the header or the query, never in the path.
        assertThat(call(admin, "GET", "/api/v1/instances/web.dev", Map.of())).isEqualTo("400");
        assertThat(call(Caller.Admin.SOCKET, "GET", "/api/v1/instances/web", Map.of(HttpRequest.PROJECT_HEADER, "dev")))
                .isEqualTo("ok:web.dev");
    }

    private String withFeatures(Caller c, String method, String target) {
        return call(featureRouter, featureGuard, c, method, target, Map.of());
    }

    @Test
    void aNetworkIsNamedAndGuardedInTheProjectThatHoldsItsProjectsNetworks() {
        var labAdmin = user(new AclEntry("/projects/lab", "u", "Administrator", true));
        assertThat(withFeatures(labAdmin, "GET", "/api/v1/networks/lan?project=lab"))
                .isEqualTo("ok:lan.lab");
        assertThat(withFeatures(labAdmin, "DELETE", "/api/v1/networks/lan?project=lab"))
                .isEqualTo("ok:lan.lab");
        assertThat(withFeatures(labAdmin, "POST", "/api/v1/networks?project=lab"))
                .isEqualTo("ok:-");
        // dev has no networks of its own: its "lan" is the default project's, at /networks/lan.
        var devAdmin = user(new AclEntry("/projects/dev", "u", "Administrator", true));
        assertThat(withFeatures(devAdmin, "GET", "/api/v1/networks/lan?project=dev"))
                .isEqualTo("403");
        assertThat(withFeatures(devAdmin, "POST", "/api/v1/networks?project=dev"))
                .isEqualTo("403");
        var networkAdmin = user(new AclEntry("/networks", "u", "Administrator", true));
        assertThat(withFeatures(networkAdmin, "GET", "/api/v1/networks/lan?project=dev"))
                .isEqualTo("ok:lan");
        assertThat(withFeatures(networkAdmin, "POST", "/api/v1/networks?project=dev"))
                .isEqualTo("ok:-");
        assertThat(withFeatures(networkAdmin, "GET", "/api/v1/networks/lan?project=lab"))
                .isEqualTo("403");
        // Instances stay in their own project whatever its features.
        assertThat(withFeatures(devAdmin, "POST", "/api/v1/instances/web/start?project=dev"))
                .isEqualTo("ok:web.dev");
    }

    @Test
    void imagesAreGuardedInTheProjectThatHoldsItsProjectsImages() {
        var devAdmin = user(new AclEntry("/projects/dev", "u", "Administrator", true));
        assertThat(withFeatures(devAdmin, "GET", "/api/v1/images?project=dev")).isEqualTo("ok:-");
        assertThat(withFeatures(devAdmin, "POST", "/api/v1/oci-images/pull?project=dev"))
                .isEqualTo("ok:-");
        var labAdmin = user(new AclEntry("/projects/lab", "u", "Administrator", true));
        assertThat(withFeatures(labAdmin, "GET", "/api/v1/images?project=lab")).isEqualTo("403");
        var imageAuditor = user(new AclEntry("/images", "u", "Auditor", true));
        assertThat(withFeatures(imageAuditor, "GET", "/api/v1/images?project=lab"))
                .isEqualTo("ok:-");
        assertThat(withFeatures(imageAuditor, "GET", "/api/v1/images?project=dev"))
                .isEqualTo("403");
    }
}
