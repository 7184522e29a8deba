package dev.vessel.rest;

import dev.vessel.access.AccessService;
import dev.vessel.access.AclPath;
import dev.vessel.access.Caller;
import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.engine.service.Projects;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.ProjectRequest;

/**
 * Projects and their quotas. Making, changing and removing one is Sys.Modify on {@code /projects[/NAME]}; a project
 * and its use are shown to whoever may see anything in it.
 */
public final class ProjectsService implements HttpService {
    private final Projects projects;

    public ProjectsService(Projects projects) {
        this.projects = projects;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/api/v1/projects",
                Need.loggedIn(),
                req -> Bodies.ok(Visible.only(projects.list(), p -> visible(req.caller(), p.name()))));
        r.post(
                "/api/v1/projects",
                Need.kind(Privilege.SYS_MODIFY, "projects"),
                req -> Bodies.json(201, projects.create(Bodies.read(req, ProjectRequest.class))));
        r.get("/api/v1/projects/{name}", Need.loggedIn(), req -> {
            String name = req.pathParam("name");
            if (!visible(req.caller(), name)) {
                throw AccessService.forbidden(req.caller(), Privilege.SYS_AUDIT, AclPath.of("projects", name));
            }
            return Bodies.ok(projects.get(name));
        });
        r.add(
                "PATCH",
                "/api/v1/projects/{name}",
                Need.on(Privilege.SYS_MODIFY, "projects"),
                req -> Bodies.ok(projects.update(req.pathParam("name"), Bodies.read(req, ProjectRequest.class))));
        r.delete("/api/v1/projects/{name}", Need.on(Privilege.SYS_MODIFY, "projects"), req -> {
            projects.remove(req.pathParam("name"));
            return HttpResponse.noContent();
        });
    }

    /** Sys.Audit on the project, or the right to see its VMs or its containers. */
    static boolean visible(Caller c, String project) {
        if (c instanceof Caller.Admin) {
            return true;
        }
        return c.can(Privilege.SYS_AUDIT, AclPath.of("projects", project))
                || c.can(Privilege.VM_AUDIT, AclPath.kind("vms", project))
                || c.can(Privilege.CONTAINER_AUDIT, AclPath.kind("containers", project));
    }
}
