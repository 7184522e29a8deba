package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.core.error.VesselException;
import dev.vessel.engine.service.Consoles;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;

/**
 * A guest's serial console: the log ({@code GET .../logs}, optionally followed) and the live console, a raw byte
 * stream after an HTTP upgrade that the engine joins to QEMU's console socket.
 */
public final class ConsoleService implements HttpService {
    public static final String PROTOCOL = "vessel-console";

    private final Consoles consoles;

    public ConsoleService(Consoles consoles) {
        this.consoles = consoles;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/instances/{name}/logs", Need.instance(Need.Action.AUDIT), req -> {
            var log = consoles.log(
                    req.pathParam("name"), req.queryFlag("follow"), req.queryInt("tail", -1, -1, 1_000_000));
            return new HttpResponse.Streaming(200, "text/plain; charset=utf-8", log::writeTo);
        });
        r.get("/api/v1/instances/{name}/console", Need.instance(Need.Action.CONSOLE), req -> {
            String name = req.pathParam("name");
            if (!req.header("Upgrade").map(u -> u.equalsIgnoreCase(PROTOCOL)).orElse(false)) {
                throw VesselException.invalid(
                        "Upgrade", "the console needs 'Connection: Upgrade' and 'Upgrade: " + PROTOCOL + "'");
            }
            var session = consoles.console(name);
            return new HttpResponse.Upgrade(PROTOCOL, (in, out) -> {
                try (session) {
                    session.join(in, out);
                }
            });
        });
    }
}
