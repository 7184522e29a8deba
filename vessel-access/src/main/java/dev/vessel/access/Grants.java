package dev.vessel.access;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Works out what a subject may do on a path, as Proxmox VE does: walk from {@code /} down to the path; at each level
 * the entries that apply (those on the path itself, and propagating ones above it) replace what was inherited, and a
 * subject's own entries replace its groups' at the same level. So {@code NoAccess} on {@code /vms/secret} takes away
 * what {@code Operator} on {@code /} gave, for that VM only.
 */
public final class Grants {
    private Grants() {}

    /**
     * @param subject a user ({@code alice}) or a token ({@code alice!ci}); a token has no groups
     * @param groups the user's groups, without the {@code @}
     */
    public static Set<Privilege> of(
            List<AclEntry> acl, Map<String, Role> roles, String subject, Set<String> groups, AclPath path) {
        return of(acl, (java.util.function.Function<String, Role>) roles::get, subject, groups, path);
    }

    /** As above, with {@code roles} looking a role up by name (null for none). */
    public static Set<Privilege> of(
            List<AclEntry> acl,
            java.util.function.Function<String, Role> roles,
            String subject,
            Set<String> groups,
            AclPath path) {
        Set<Privilege> current = EnumSet.noneOf(Privilege.class);
        for (AclPath level : path.fromRoot()) {
            boolean target = level.equals(path);
            Set<Privilege> own = null;
            Set<Privilege> group = null;
            for (AclEntry e : acl) {
                if (!e.path().equals(level.value()) || !(target || e.propagate())) {
                    continue;
                }
                Role role = roles.apply(e.role());
                Set<Privilege> privs = role == null ? Set.of() : role.privileges();
                if (e.principal().equals(subject)) {
                    own = union(own, privs);
                } else if (e.isGroup() && groups.contains(e.principal().substring(1))) {
                    group = union(group, privs);
                }
            }
            if (own != null) {
                current = own;
            } else if (group != null) {
                current = group;
            }
        }
        return current;
    }

    private static Set<Privilege> union(Set<Privilege> a, Set<Privilege> b) {
        Set<Privilege> out = a == null ? EnumSet.noneOf(Privilege.class) : a;
        out.addAll(b);
        return out;
    }
}
