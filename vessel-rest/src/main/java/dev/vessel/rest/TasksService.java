package dev.vessel.rest;

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
        r.get("/api/v1/tasks", req -> Bodies.ok(tasks.list(req.queryInt("limit", 50, 1, 1000))));
        r.get("/api/v1/tasks/{id}", req -> Bodies.ok(tasks.get(req.pathParam("id"))));
        r.get(
                "/api/v1/tasks/{id}/wait",
                req -> Bodies.ok(
                        tasks.await(req.pathParam("id"), Duration.ofSeconds(req.queryInt("timeout", 30, 0, 600)))));
        r.get(
                "/api/v1/tasks/{id}/log",
                req -> Bodies.ok(tasks.log(req.pathParam("id"), req.queryInt("after", 0, 0, Integer.MAX_VALUE))));
        r.post("/api/v1/tasks/{id}/cancel", req -> Bodies.json(202, tasks.cancel(req.pathParam("id"))));
    }
}
