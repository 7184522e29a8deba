package dev.vessel.access;

import dev.vessel.core.error.VesselException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A path ACL entries are given on: {@code /}, a kind ({@code /vms}), or one object of it ({@code /vms/web}). The
 * kinds are those the issue of roles names: vms, containers, pools, networks, images, projects, plus access (users and
 * tokens) and system (the node). Instances, networks and images of a project other than {@code default} sit under it:
 * {@code /projects/dev/vms/web}, {@code /projects/dev/networks/lan}, so that a role on {@code /projects/dev} reaches
 * everything in dev, and {@code /vms} (the default project's) reaches nothing there. Networks and images a project
 * shares with the default project (its feature off) are the default project's, at {@code /networks/NAME} and
 * {@code /images}. A path's parents are the prefixes above it, the root first.
 */
public record AclPath(String value) {
    public static final AclPath ROOT = new AclPath("/");
    static final Set<String> KINDS =
            Set.of("vms", "containers", "pools", "networks", "images", "projects", "access", "system");
    /** The kinds that live in a project. */
    static final Set<String> IN_PROJECT = Set.of("vms", "containers", "networks", "images");

    private static final Pattern OBJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");

    public static AclPath parse(String s) {
        if (s == null || s.isEmpty()) {
            throw VesselException.invalid("path", "an ACL path is required, e.g. / or /vms/web");
        }
        if (s.equals("/")) {
            return ROOT;
        }
        String[] parts = s.split("/", -1);
        if (parts.length >= 4 && parts[0].isEmpty() && parts[1].equals("projects")) {
            return inProject(s, parts);
        }
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

    private static AclPath inProject(String s, String[] parts) {
        if (parts.length > 5 || !IN_PROJECT.contains(parts[3])) {
            throw VesselException.invalid(
                    "path",
                    "'" + s
                            + "' is not an ACL path: /projects/PROJECT/KIND or /projects/PROJECT/KIND/NAME with KIND one of "
                            + new java.util.TreeSet<>(IN_PROJECT));
        }
        for (int i = 2; i < parts.length; i += 2) {
            if (!dev.vessel.core.model.Names.isValid(parts[i])) {
                throw VesselException.invalid("path", "'" + parts[i] + "' is not a name in an ACL path");
            }
        }
        return new AclPath(s);
    }

    /**
     * The path of one object. For a kind that lives in a project the name is its key ({@code web}, or {@code web.dev}
     * for web in project dev), which gives {@code /vms/web} or {@code /projects/dev/vms/web}.
     */
    public static AclPath of(String kind, String name) {
        if (IN_PROJECT.contains(kind) && name != null && name.indexOf('.') > 0) {
            var key = dev.vessel.core.model.ProjectKey.parse(name);
            return parse("/projects/" + key.project() + "/" + kind + "/" + key.name());
        }
        return parse("/" + kind + "/" + name);
    }

    /** A kind's path in a project: {@code /vms} in the default one, {@code /projects/dev/vms} in dev. */
    public static AclPath kind(String kind, String project) {
        if (project == null
                || project.equals(dev.vessel.core.model.ProjectKey.DEFAULT_PROJECT)
                || !IN_PROJECT.contains(kind)) {
            return parse("/" + kind);
        }
        return parse("/projects/" + project + "/" + kind);
    }

    /** This path and its parents, the root first. */
    public List<AclPath> fromRoot() {
        var out = new ArrayList<AclPath>();
        out.add(ROOT);
        if (this.equals(ROOT)) {
            return out;
        }
        String[] parts = value.split("/");
        var prefix = new StringBuilder();
        for (int i = 1; i < parts.length; i++) {
            prefix.append('/').append(parts[i]);
            out.add(new AclPath(prefix.toString()));
        }
        return out;
    }

    @Override
    public String toString() {
        return value;
    }
}
