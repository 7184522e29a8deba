package dev.vessel.access;

import dev.vessel.core.error.VesselException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A path ACL entries are given on: {@code /}, a kind ({@code /vms}), or one object of it ({@code /vms/web}). The
 * kinds are those the issue of roles names: vms, containers, pools, networks, images, projects, plus access (users and
 * tokens) and system (the node). A path's parents are the prefixes above it, the root last.
 */
public record AclPath(String value) {
    public static final AclPath ROOT = new AclPath("/");
    static final Set<String> KINDS =
            Set.of("vms", "containers", "pools", "networks", "images", "projects", "access", "system");
    private static final Pattern OBJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");

    public static AclPath parse(String s) {
        if (s == null || s.isEmpty()) {
            throw VesselException.invalid("path", "an ACL path is required, e.g. / or /vms/web");
        }
        if (s.equals("/")) {
            return ROOT;
        }
        String[] parts = s.split("/", -1);
        if (!parts[0].isEmpty() || parts.length > 3 || !KINDS.contains(parts[1])) {
            throw VesselException.invalid(
                    "path",
                    "'" + s + "' is not an ACL path: /, /KIND or /KIND/NAME with KIND one of "
                            + new java.util.TreeSet<>(KINDS));
        }
        if (parts.length == 3 && !OBJECT.matcher(parts[2]).matches()) {
            throw VesselException.invalid("path", "'" + parts[2] + "' is not a name in an ACL path");
        }
        return new AclPath(s);
    }

    public static AclPath of(String kind, String name) {
        return parse("/" + kind + "/" + name);
    }

    /** This path and its parents, the root first. */
    public List<AclPath> fromRoot() {
        var out = new ArrayList<AclPath>();
        out.add(ROOT);
        if (this.equals(ROOT)) {
            return out;
        }
        String[] parts = value.split("/");
        out.add(new AclPath("/" + parts[1]));
        if (parts.length == 3) {
            out.add(this);
        }
        return out;
    }

    @Override
    public String toString() {
        return value;
    }
}
