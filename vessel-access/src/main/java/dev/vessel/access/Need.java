package dev.vessel.access;

import java.util.Map;

/**
 * What a route needs from its caller. Every route of every face declares one when it registers, so a route cannot
 * exist without it; the route × role test walks them all.
 */
public sealed interface Need {
    /** No authentication at all: logging in, ping. */
    record Open() implements Need {}

    /** Any authenticated caller; the route shows only what the caller may see, or concerns only the caller itself. */
    record LoggedIn() implements Need {}

    /** Only root on the unix socket (the CLI relay runs calls with the daemon's rights). */
    record LocalAdmin() implements Need {}

    /**
     * {@code privilege} on {@code /kind/{param}}, or on {@code /kind} when {@code param} is null, or on {@code /} when
     * {@code kind} is null too.
     */
    record On(Privilege privilege, String kind, String param) implements Need {
        public AclPath path(Map<String, String> params) {
            return path(params, null);
        }

        /**
         * The path in {@code project} (null: the default one), which for a kind a project may share is the project
         * that holds that kind for the request; a parameter that names something of a project holds its key already.
         */
        public AclPath path(Map<String, String> params, String project) {
            if (kind == null) {
                return AclPath.ROOT;
            }
            return param == null ? AclPath.kind(kind, project) : AclPath.of(kind, params.get(param));
        }

        /** Whether {@code param} names something of a project, so that a face reads it in the request's project. */
        public boolean namesProjectObject() {
            return param != null && AclPath.IN_PROJECT.contains(kind);
        }

        /** Whether the route is about a kind that lives in a project (the ACL path then depends on the project). */
        public boolean inProject() {
            return kind != null && AclPath.IN_PROJECT.contains(kind);
        }
    }

    /** An instance's privilege, VM.* or Container.* by what the instance named by path parameter {@code param} is. */
    record OnInstance(Action action, String param) implements Need {}

    /**
     * The path parameter that names something that lives in a project (an instance, a network), or null: a face reads
     * it as a name in the request's project, or in the project that holds that kind for it ({@link #projectKind}).
     */
    default String projectParam() {
        return switch (this) {
            case OnInstance oi -> oi.param();
            case On on when on.namesProjectObject() -> on.param();
            default -> null;
        };
    }

    /** The ACL kind of what {@link #projectParam} names: {@code vms} for an instance of either kind. */
    default String projectKind() {
        return switch (this) {
            case OnInstance oi -> "vms";
            case On on -> on.kind();
            default -> null;
        };
    }

    /** What may be done to an instance of either kind; {@link #vm} and {@link #container} name the privileges. */
    enum Action {
        AUDIT(Privilege.VM_AUDIT, Privilege.CONTAINER_AUDIT),
        POWER(Privilege.VM_POWER_MGMT, Privilege.CONTAINER_POWER_MGMT),
        CONSOLE(Privilege.VM_CONSOLE, Privilege.CONTAINER_CONSOLE),
        CONFIG(Privilege.VM_CONFIG, Privilege.CONTAINER_CONFIG),
        ALLOCATE(Privilege.VM_ALLOCATE, Privilege.CONTAINER_ALLOCATE);

        public final Privilege vm;
        public final Privilege container;

        Action(Privilege vm, Privilege container) {
            this.vm = vm;
            this.container = container;
        }
    }

    static Need open() {
        return new Open();
    }

    static Need loggedIn() {
        return new LoggedIn();
    }

    static Need localAdmin() {
        return new LocalAdmin();
    }

    /** A node-wide privilege, on {@code /}. */
    static Need node(Privilege p) {
        return new On(p, null, null);
    }

    static Need kind(Privilege p, String kind) {
        return new On(p, kind, null);
    }

    /** {@code p} on {@code /kind/{name}}. */
    static Need on(Privilege p, String kind) {
        return new On(p, kind, "name");
    }

    static Need on(Privilege p, String kind, String param) {
        return new On(p, kind, param);
    }

    /** An instance's privilege, for the instance in path parameter {@code name}. */
    static Need instance(Action a) {
        return new OnInstance(a, "name");
    }

    /** A VM-only privilege on the instance in path parameter {@code name} (snapshots, backups, clones). */
    static Need vm(Privilege p) {
        return new On(p, "vms", "name");
    }
}
