package dev.vessel.access;

import dev.vessel.core.error.VesselException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** A named set of privileges. The built-in roles cannot be changed or removed; custom roles can. */
public record Role(String name, Set<Privilege> privileges, boolean builtin) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    public Role {
        privileges = privileges.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(privileges));
    }

    /** Every privilege. */
    public static final Role ADMINISTRATOR = new Role("Administrator", EnumSet.allOf(Privilege.class), true);

    /** Sees everything and runs what exists (power, consoles, snapshots, backups), but creates, removes and changes nothing. */
    public static final Role OPERATOR = new Role(
            "Operator",
            EnumSet.of(
                    Privilege.VM_AUDIT,
                    Privilege.VM_POWER_MGMT,
                    Privilege.VM_CONSOLE,
                    Privilege.VM_SNAPSHOT,
                    Privilege.VM_BACKUP,
                    Privilege.CONTAINER_AUDIT,
                    Privilege.CONTAINER_POWER_MGMT,
                    Privilege.CONTAINER_CONSOLE,
                    Privilege.IMAGE_AUDIT,
                    Privilege.NETWORK_AUDIT,
                    Privilege.POOL_AUDIT,
                    Privilege.SYS_AUDIT),
            true);

    /** Reads everything, changes nothing: every .Audit privilege. */
    public static final Role AUDITOR = new Role(
            "Auditor",
            EnumSet.of(
                    Privilege.VM_AUDIT,
                    Privilege.CONTAINER_AUDIT,
                    Privilege.IMAGE_AUDIT,
                    Privilege.NETWORK_AUDIT,
                    Privilege.POOL_AUDIT,
                    Privilege.SYS_AUDIT),
            true);

    /** Nothing: given on a path, it takes away what a parent path gave. */
    public static final Role NO_ACCESS = new Role("NoAccess", Set.of(), true);

    public static final List<Role> BUILTIN = List.of(ADMINISTRATOR, OPERATOR, AUDITOR, NO_ACCESS);

    public static String validName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw VesselException.invalid(
                    "role", "'" + name + "' is not a role name (a letter, then letters, digits, '_', '.', '-')");
        }
        return name;
    }

    public boolean has(Privilege p) {
        return privileges.contains(p);
    }
}
