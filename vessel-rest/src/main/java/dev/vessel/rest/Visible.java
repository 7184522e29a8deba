package dev.vessel.rest;

import dev.vessel.access.AccessService;
import dev.vessel.access.AclPath;
import dev.vessel.access.Caller;
import dev.vessel.access.Privilege;
import dev.vessel.core.task.Task;
import dev.vessel.engine.service.Networks;
import java.util.List;
import java.util.function.Predicate;

/** What a caller may see in a list: lists are filtered, never refused, so a user sees the part it has rights on. */
final class Visible {
    private Visible() {}

    /** An instance by its kind's label ({@code vm} or {@code container}) and name. */
    static boolean instance(Caller c, String kind, String name) {
        if (c instanceof Caller.Admin) {
            return true;
        }
        boolean vm = "vm".equals(kind);
        return c.can(vm ? Privilege.VM_AUDIT : Privilege.CONTAINER_AUDIT, AclPath.of(vm ? "vms" : "containers", name));
    }

    /** {@code p} on a kind in a project ({@code /images}, {@code /projects/dev/images}). */
    static boolean kind(Caller c, Privilege p, String kind, String project) {
        return c instanceof Caller.Admin || c.can(p, AclPath.kind(kind, project));
    }

    static boolean object(Caller c, Privilege p, String kind, String name) {
        return c instanceof Caller.Admin || c.can(p, AclPath.of(kind, name));
    }

    /** A task: its own user's, or anyone's for Sys.Audit on /. A token sees its user's tasks too. */
    static boolean task(Caller c, Task t) {
        if (c instanceof Caller.Admin || c.can(Privilege.SYS_AUDIT, AclPath.ROOT)) {
            return true;
        }
        String user = c instanceof Caller.User u ? u.user() : c.name();
        return t.user() != null && (t.user().equals(user) || t.user().startsWith(user + "!"));
    }

    static Task requireTask(Caller c, Task t) {
        if (!task(c, t)) {
            throw AccessService.forbidden(c, Privilege.SYS_AUDIT, AclPath.ROOT);
        }
        return t;
    }

    /**
     * Joining an instance of {@code project} to a network needs Network.Use on it (as PVE's SDN.Use): Allocate on the
     * instance alone does not let anyone onto any network. The network is the one its name means in the project (its
     * own, or the default project's), so the path is that network's. {@code host} (the daemon's own namespace) needs
     * Sys.Modify on /. A name that is no name is left to the engine to refuse.
     */
    static void requireNetworkUse(Caller c, Networks net, String project, String network) {
        if (c instanceof Caller.Admin || network == null || network.equals("none")) {
            return;
        }
        if (network.equals("host")) {
            if (!c.can(Privilege.SYS_MODIFY, AclPath.ROOT)) {
                throw AccessService.forbidden(c, Privilege.SYS_MODIFY, AclPath.ROOT);
            }
            return;
        }
        if (!dev.vessel.core.model.Names.isValid(network)) {
            return;
        }
        AclPath p = AclPath.of("networks", net.key(project, network));
        if (!c.can(Privilege.NETWORK_USE, p)) {
            throw AccessService.forbidden(c, Privilege.NETWORK_USE, p);
        }
    }

    static <T> List<T> only(List<T> all, Predicate<T> visible) {
        return all.stream().filter(visible).toList();
    }
}
