package dev.vessel.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AclPathTest {
    @Test
    void anInstanceOfAProjectSitsUnderItAndOneOfTheDefaultProjectWhereItAlwaysWas() {
        assertThat(AclPath.of("vms", "web")).isEqualTo(new AclPath("/vms/web"));
        assertThat(AclPath.of("vms", "web.dev")).isEqualTo(new AclPath("/projects/dev/vms/web"));
        assertThat(AclPath.of("containers", "db.dev")).isEqualTo(new AclPath("/projects/dev/containers/db"));
        assertThat(AclPath.kind("vms", "dev")).isEqualTo(new AclPath("/projects/dev/vms"));
        assertThat(AclPath.kind("vms", "default")).isEqualTo(new AclPath("/vms"));
        assertThat(AclPath.kind("pools", "dev")).isEqualTo(new AclPath("/pools"));
        assertThat(AclPath.parse("/projects/dev/vms/web").fromRoot())
                .extracting(AclPath::value)
                .containsExactly("/", "/projects", "/projects/dev", "/projects/dev/vms", "/projects/dev/vms/web");
    }

    @Test
    void instancesNetworksAndImagesLiveInAProjectAndNothingElseDoes() {
        for (String bad : List.of(
                "/projects/dev/pools/x",
                "/projects/dev/system",
                "/projects/dev/vms/web/x",
                "/projects/Dev/vms",
                "/projects/dev/vms/a.b")) {
            assertThatThrownBy(() -> AclPath.parse(bad)).as(bad).isInstanceOf(VesselException.class);
        }
        assertThat(AclPath.parse("/projects/dev").value()).isEqualTo("/projects/dev");
        assertThat(AclPath.of("networks", "lan.dev")).isEqualTo(new AclPath("/projects/dev/networks/lan"));
        assertThat(AclPath.of("networks", "lan")).isEqualTo(new AclPath("/networks/lan"));
        assertThat(AclPath.kind("networks", "dev")).isEqualTo(new AclPath("/projects/dev/networks"));
        assertThat(AclPath.kind("images", "dev")).isEqualTo(new AclPath("/projects/dev/images"));
        assertThat(AclPath.kind("images", "default")).isEqualTo(new AclPath("/images"));
    }

    @Test
    void aRoleOnAProjectReachesItsInstancesAndNotTheDefaultProjects() {
        var acl = List.of(new AclEntry("/projects/dev", "u", "Operator", true));
        var roles = Map.of("Operator", Role.OPERATOR);
        assertThat(Grants.of(acl, roles, "u", Set.of(), AclPath.of("vms", "web.dev")))
                .contains(Privilege.VM_POWER_MGMT);
        assertThat(Grants.of(acl, roles, "u", Set.of(), AclPath.of("vms", "web")))
                .isEmpty();
        assertThat(Grants.of(acl, roles, "u", Set.of(), AclPath.of("vms", "web.prod")))
                .isEmpty();
        var vmsOnly = List.of(new AclEntry("/vms", "u", "Operator", true));
        assertThat(Grants.of(vmsOnly, roles, "u", Set.of(), AclPath.of("vms", "web.dev")))
                .isEmpty();
    }
}
