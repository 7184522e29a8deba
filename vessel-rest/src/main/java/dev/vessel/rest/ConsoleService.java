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
    /** The VM's screen as a raw RFB stream after an HTTP upgrade, for {@code vessel vm vnc}. */
    public static final String SCREEN_PROTOCOL = "vessel-vnc";

    static final String SERIAL = "serial";
    static final String VNC = "vnc";
    static final String EXEC = "exec";
    static final String ATTACH = "attach";

    private final Consoles consoles;
    private final dev.vessel.access.ConsoleTickets tickets;

    public ConsoleService(Consoles consoles, dev.vessel.access.ConsoleTickets tickets) {
        this.consoles = consoles;
        this.tickets = tickets;
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
        // The CLI's way to the screen: QEMU's RFB stream as it is, its VNC password login included (the password comes
        // from a ticket of type vnc), for `vessel vm vnc` to serve to a local VNC viewer.
        r.get("/api/v1/instances/{name}/console/screen", Need.instance(Need.Action.CONSOLE), req -> {
            String name = req.pathParam("name");
            if (!req.header("Upgrade")
                    .map(u -> u.equalsIgnoreCase(SCREEN_PROTOCOL))
                    .orElse(false)) {
                throw VesselException.invalid(
                        "Upgrade", "the screen needs 'Connection: Upgrade' and 'Upgrade: " + SCREEN_PROTOCOL + "'");
            }
            var session = consoles.screen(name);
            return new HttpResponse.Upgrade(SCREEN_PROTOCOL, (in, out) -> {
                try (session) {
                    session.join(in, out);
                }
            });
        });
        // The browser's way in: a single-use ticket (a WebSocket URL cannot carry a header), then the console over a
        // WebSocket. The WebSocket route checks the login and the privilege too, as PVE's vncwebsocket does.
        r.post("/api/v1/instances/{name}/console/ticket", Need.instance(Need.Action.CONSOLE), req -> {
            String key = req.pathParam("name");
            String type = req.queryParam("type").orElse(SERIAL);
            var answer = new java.util.LinkedHashMap<String, Object>();
            switch (type) {
                case SERIAL -> consoles.requireConsole(key);
                // The VNC server's own login: a one-time password, set now, that expires with the ticket.
                case VNC -> answer.put("password", consoles.screenPassword(key));
                // a command in a container, over a WebSocket: ExecService's route checks the container and the command
                case EXEC, ATTACH -> {}
                default -> throw VesselException.invalid("type", "'" + type + "' is not serial, vnc, exec or attach");
            }
            var t = tickets.issue(req.caller().name(), key, type);
            String project = dev.vessel.core.model.ProjectKey.projectOf(key);
            String path = "/api/v1/instances/" + dev.vessel.core.model.ProjectKey.nameOf(key) + "/"
                    + switch (type) {
                        case VNC -> "console/vnc";
                        case EXEC -> "exec/ws";
                        case ATTACH -> "attach/ws";
                        default -> "console/ws";
                    }
                    + "?ticket=" + t.value()
                    + (project.equals(dev.vessel.core.model.ProjectKey.DEFAULT_PROJECT) ? "" : "&project=" + project);
            answer.put("ticket", t.value());
            answer.put("expires", t.expires().toString());
            answer.put("path", path);
            return Bodies.json(201, answer);
        });
        r.get("/api/v1/instances/{name}/console/ws", Need.instance(Need.Action.CONSOLE), req -> {
            String key = req.pathParam("name");
            tickets.redeem(req.queryParam("ticket").orElse(null), req.caller().name(), key, SERIAL);
            return new HttpResponse.WebSocket(new WebSocketConsole(consoles.console(key)));
        });
        // The screen for noVNC: the daemon bridges, since Debian 12's QEMU 7.2 cannot put its VNC websocket on a
        // unix socket. RFB's own password login (the one the ticket came with) follows inside.
        r.get("/api/v1/instances/{name}/console/vnc", Need.instance(Need.Action.CONSOLE), req -> {
            String key = req.pathParam("name");
            tickets.redeem(req.queryParam("ticket").orElse(null), req.caller().name(), key, VNC);
            return new HttpResponse.WebSocket(new WebSocketConsole(consoles.screen(key)));
        });
    }
}
