package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.engine.service.Tasks;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.time.Duration;

/** Long operations: list, inspect, wait, read the log, cancel. */
public final class TasksService implements HttpService {
    private final Tasks tasks;

    public TasksService(Tasks tasks) {
        this.tasks = tasks;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/api/v1/tasks",
                Need.loggedIn(),
                // one project's tasks, or with ?all-projects=true every project's, as Incus lists operations
                req -> Bodies.ok(Visible.only(
                        tasks.list(
                                req.queryInt("limit", 50, 1, 1000),
                                req.queryFlag("all-projects") ? null : req.project()),
                        t -> Visible.task(req.caller(), t))));
        r.get("/api/v1/tasks/{id}", Need.loggedIn(), req -> Bodies.ok(visible(req)));
        r.get("/api/v1/tasks/{id}/wait", Need.loggedIn(), req -> {
            visible(req);
            return Bodies.ok(tasks.await(req.pathParam("id"), Duration.ofSeconds(req.queryInt("timeout", 30, 0, 600))));
        });
        r.get("/api/v1/tasks/{id}/log", Need.loggedIn(), req -> {
            visible(req);
            return Bodies.ok(tasks.log(req.pathParam("id"), req.queryInt("after", 0, 0, Integer.MAX_VALUE)));
        });
        r.post("/api/v1/tasks/{id}/cancel", Need.loggedIn(), req -> {
            visible(req);
            return Bodies.json(202, tasks.cancel(req.pathParam("id")));
        });
    }

    /** The task, if the caller may see it: its own, or any with Sys.Audit. */
    private dev.vessel.core.task.Task visible(dev.vessel.http.HttpRequest req) {
        return Visible.requireTask(req.caller(), tasks.get(req.pathParam("id")));
    }
}
