package dev.vessel.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GrantsTest {
    private static final Map<String, Role> ROLES = AccessState.EMPTY.roleTable();
    private static final AclPath WEB = AclPath.parse("/vms/web");
    private static final AclPath DB = AclPath.parse("/vms/db");

    @Test
    void aRoleOnTheRootPropagatesToEveryPath() {
        var acl = List.of(new AclEntry("/", "alice", "Auditor", true));
        assertThat(Grants.of(acl, ROLES, "alice", Set.of(), WEB)).contains(Privilege.VM_AUDIT);
        assertThat(Grants.of(acl, ROLES, "alice", Set.of(), WEB)).doesNotContain(Privilege.VM_POWER_MGMT);
        assertThat(Grants.of(acl, ROLES, "bob", Set.of(), WEB)).isEmpty();
    }

    @Test
    void withoutPropagationAnEntryHoldsOnItsOwnPathOnly() {
        var acl = List.of(new AclEntry("/vms", "alice", "Operator", false));
        assertThat(Grants.of(acl, ROLES, "alice", Set.of(), AclPath.parse("/vms")))
                .contains(Privilege.VM_POWER_MGMT);
        assertThat(Grants.of(acl, ROLES, "alice", Set.of(), WEB)).isEmpty();
    }

    @Test
    void aMoreSpecificPathReplacesWhatWasInherited() {
        var acl = List.of(
                new AclEntry("/", "alice", "Operator", true), new AclEntry("/vms/db", "alice", "NoAccess", true));
        assertThat(Grants.of(acl, ROLES, "alice", Set.of(), WEB)).contains(Privilege.VM_POWER_MGMT);
        assertThat(Grants.of(acl, ROLES, "alice", Set.of(), DB)).isEmpty();
    }

    @Test
    void groupsGiveAndTheUsersOwnEntriesOverrideThemAtTheSameLevel() {
        var acl =
                List.of(new AclEntry("/vms", "@ops", "Operator", true), new AclEntry("/vms", "carol", "Auditor", true));
        assertThat(Grants.of(acl, ROLES, "bob", Set.of("ops"), WEB)).contains(Privilege.VM_POWER_MGMT);
        assertThat(Grants.of(acl, ROLES, "carol", Set.of("ops"), WEB))
                .contains(Privilege.VM_AUDIT)
                .doesNotContain(Privilege.VM_POWER_MGMT);
    }

    @Test
    void aNameThatIsNotAnAclPathIsRefused() {
        for (String bad : List.of("", "vms", "/nope", "/vms/a/b", "/vms/../x", "/vms/a b")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AclPath.parse(bad))
                    .hasMessageContaining("path");
        }
    }
}
