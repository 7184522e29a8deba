package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.core.error.VesselException;
import dev.vessel.engine.service.Containers;
import dev.vessel.host.Json;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.ExitResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's process as a client sees it: attach (its output as it comes, and its stdin, after an HTTP upgrade),
 * wait (until it ends, with the exit code, as NDJSON) and the terminal's size.
 */
public final class AttachService implements HttpService {
    public static final String ATTACH = "vessel-attach";
    private static final Duration KEEPALIVE = Duration.ofSeconds(15);

    private final Containers containers;
    private final dev.vessel.access.ConsoleTickets tickets;

    public AttachService(Containers containers, dev.vessel.access.ConsoleTickets tickets) {
        this.containers = containers;
        this.tickets = tickets;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/instances/{name}/attach", Need.instance(Need.Action.CONSOLE), req -> {
            String name = req.pathParam("name");
            var session = containers.attach(name, req.queryFlag("stdin"), req.queryFlag("logs"));
            if (!req.header("Upgrade").map(u -> u.equalsIgnoreCase(ATTACH)).orElse(false)) {
                throw VesselException.invalid(
                        "Upgrade", "attach needs 'Connection: Upgrade' and 'Upgrade: " + ATTACH + "'");
            }
            return new HttpResponse.Upgrade(ATTACH, session::run);
        });
        // The browser's attach (xterm.js): a ticket of kind attach, then the container's process over a WebSocket,
        // its output from the log (with ?logs=true from the start), typing to its stdin, resize messages to its
        // terminal.
        r.get("/api/v1/instances/{name}/attach/ws", Need.instance(Need.Action.CONSOLE), req -> {
            String key = req.pathParam("name");
            tickets.redeem(req.queryParam("ticket").orElse(null), req.caller().name(), key, ConsoleService.ATTACH);
            var session = containers.attach(key, req.queryFlag("stdin"), req.queryFlag("logs"));
            return new HttpResponse.WebSocket(new WebSocketConsole(
                    new dev.vessel.engine.service.Consoles.Session() {
                        @Override
                        public void join(java.io.InputStream in, OutputStream out) throws InterruptedException {
                            session.run(in, out);
                        }

                        @Override
                        public void close() {}
                    },
                    (rows, cols) -> containers.resize(key, rows, cols)));
        });
        r.get("/api/v1/instances/{name}/wait", Need.instance(Need.Action.AUDIT), req -> {
            boolean next = req.queryFlag("next");
            // as Docker's condition=removed: the answer comes once the container is gone too (run --rm)
            String condition = req.queryParam("condition").orElse("stopped");
            if (!condition.equals("stopped") && !condition.equals("removed")) {
                throw VesselException.invalid("condition", "'" + condition + "' is neither stopped nor removed");
            }
            var wait = containers.await(req.pathParam("name"), next, condition.equals("removed"));
            return new HttpResponse.Streaming(200, "application/x-ndjson", out -> {
                try (wait) {
                    var now = wait.already();
                    if (now.isPresent()) {
                        line(out, result(now.get()));
                        return;
                    }
                    line(out, Map.of("status", "waiting"));
                    while (true) {
                        var end = wait.next(KEEPALIVE);
                        if (end.isPresent()) {
                            line(out, result(end.get()));
                            return;
                        }
                        out.write('\n'); // keep-alive, and notices a client that left
                        out.flush();
                    }
                }
            });
        });
        r.post("/api/v1/instances/{name}/resize", Need.instance(Need.Action.CONSOLE), req -> {
            containers.resize(
                    req.pathParam("name"), req.queryInt("rows", 24, 1, 1000), req.queryInt("cols", 80, 1, 1000));
            return HttpResponse.noContent();
        });
    }

    /** The wait's line: {@code removed} only when the container is gone, as before it was a field. */
    private static Map<String, Object> result(ExitResult e) {
        var m = new LinkedHashMap<String, Object>();
        m.put("status", e.status());
        if (!e.status().equals("removed") || e.reason() != null) {
            m.put("reason", e.reason());
            m.put("exitCode", e.exitCode());
            m.put("detail", e.detail());
        }
        if (e.removed()) {
            m.put("removed", true);
        }
        return m;
    }

    private static void line(OutputStream out, Map<String, Object> m) throws IOException {
        out.write((Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
