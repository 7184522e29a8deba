package dev.vessel.access;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.vessel.core.error.VesselException;

/**
 * One grant: {@code role} on {@code path} to a user ({@code alice}) or a group ({@code @ops}), or to one of a user's
 * API tokens ({@code alice!ci}, which only limits the token: see {@link Grants}). With {@code propagate} it holds for
 * every path below too, as in Proxmox VE. {@code group} is derived, never stored: files that an earlier build wrote
 * with it still read.
 */
@JsonIgnoreProperties("group")
public record AclEntry(String path, String principal, String role, boolean propagate) {
    public AclEntry {
        AclPath.parse(path);
        if (principal == null || principal.isEmpty()) {
            throw VesselException.invalid("principal", "an ACL entry needs a user, @group or user!token");
        }
        if (principal.startsWith("@")) {
            Names.group(principal.substring(1));
        } else if (principal.contains("!")) {
            Names.user(principal.substring(0, principal.indexOf('!')));
            Names.tokenId(principal.substring(principal.indexOf('!') + 1));
        } else {
            Names.user(principal);
        }
        Role.validName(role);
    }

    public AclPath aclPath() {
        return AclPath.parse(path);
    }

    public boolean isGroup() {
        return principal.startsWith("@");
    }
}
