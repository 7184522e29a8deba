package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.core.error.VesselException;
import dev.vessel.engine.service.Containers;
import dev.vessel.http.Frames;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.ExecRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * {@code runc exec} in a running container, over an upgraded connection. The client sends stdin raw; the daemon
 * sends frames, as Docker's attach protocol does: a byte for the stream (1 stdout, 2 stderr, 3 the exit code as
 * text), three zero bytes, the payload's length as four big-endian bytes, the payload.
 */
public final class ExecService implements HttpService {
    public static final String EXEC = "vessel-exec";
    static final int STDOUT = Frames.STDOUT;
    static final int STDERR = Frames.STDERR;
    static final int EXIT = Frames.EXIT;

    private final Containers containers;
    private final dev.vessel.access.ConsoleTickets tickets;

    public ExecService(Containers containers, dev.vessel.access.ConsoleTickets tickets) {
        this.containers = containers;
        this.tickets = tickets;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/instances/{name}/exec", Need.instance(Need.Action.CONSOLE), req -> {
            var spec = spec(req);
            if (!req.header("Upgrade").map(u -> u.equalsIgnoreCase(EXEC)).orElse(false)) {
                throw VesselException.invalid(
                        "Upgrade", "exec needs 'Connection: Upgrade' and 'Upgrade: " + EXEC + "'");
            }
            boolean interactive = req.queryFlag("interactive");
            var exec = containers.exec(req.pathParam("name"), spec);
            return new HttpResponse.Upgrade(EXEC, (in, out) -> session(exec, in, out, interactive, spec.tty()));
        });
        // The browser's exec (xterm.js): a single-use ticket of kind exec (POST .../console/ticket?type=exec), then
        // the command's terminal over a WebSocket, always interactive.
        r.get("/api/v1/instances/{name}/exec/ws", Need.instance(Need.Action.CONSOLE), req -> {
            String key = req.pathParam("name");
            var spec = spec(req);
            tickets.redeem(req.queryParam("ticket").orElse(null), req.caller().name(), key, ConsoleService.EXEC);
            return new HttpResponse.WebSocket(new WebSocketExec(containers.exec(key, spec)));
        });
    }

    static ExecRequest spec(HttpRequest req) {
        List<String> cmd = req.query().getOrDefault("cmd", List.of());
        if (cmd.isEmpty() || cmd.getFirst().isEmpty()) {
            throw VesselException.invalid("cmd", "a command is required (one cmd parameter per argument)");
        }
        if (cmd.size() > 4096 || cmd.stream().anyMatch(a -> a.indexOf('\0') >= 0)) {
            throw VesselException.invalid("cmd", "at most 4096 arguments, without NUL");
        }
        List<String> env = req.query().getOrDefault("env", List.of());
        for (String e : env) {
            if (e.indexOf('=') <= 0 || e.indexOf('\0') >= 0) {
                throw VesselException.invalid("env", "'" + e + "' is not KEY=VALUE");
            }
        }
        String workdir = req.queryParam("workdir").orElse(null);
        if (workdir != null && (!workdir.startsWith("/") || workdir.indexOf('\0') >= 0)) {
            throw VesselException.invalid("workdir", "'" + workdir + "' is not an absolute path");
        }
        return new ExecRequest(
                cmd,
                req.queryFlag("tty"),
                req.queryInt("rows", 24, 1, 1000),
                req.queryInt("cols", 80, 1, 1000),
                env,
                req.queryParam("user").orElse(null),
                workdir);
    }

    private static void session(Containers.Exec p, InputStream in, OutputStream out, boolean interactive, boolean tty)
            throws InterruptedException {
        Thread o = Thread.ofVirtual().start(() -> copyFramed(p.stdout(), out, STDOUT));
        Thread e = Thread.ofVirtual().start(() -> copyFramed(p.stderr(), out, STDERR));
        Thread input = Thread.ofVirtual().start(() -> {
            try (var toProcess = p.stdin()) {
                if (!interactive) {
                    return;
                }
                byte[] b = new byte[8192];
                int n;
                while ((n = in.read(b)) > 0) {
                    toProcess.write(b, 0, n);
                    toProcess.flush();
                }
            } catch (IOException ex) {
                // the client or the process went away
            }
            // With a terminal the client's end of input is the client leaving: the session ends with it.
            if (tty && p.alive()) {
                p.destroy();
            }
        });
        p.await(Duration.ofDays(7));
        o.join();
        e.join();
        try {
            if (p.failure().isPresent()) {
                frame(out, STDERR, ("vessel: " + p.failure().get() + "\n").getBytes(StandardCharsets.UTF_8), 0, -1);
            }
            frame(out, EXIT, Integer.toString(p.exitCode()).getBytes(StandardCharsets.US_ASCII), 0, -1);
            out.close();
        } catch (IOException ex) {
            // the client left
        }
        input.interrupt();
    }

    private static void copyFramed(InputStream from, OutputStream out, int stream) {
        byte[] b = new byte[16 * 1024];
        try (from) {
            int n;
            while ((n = from.read(b)) > 0) {
                frame(out, stream, b, 0, n);
            }
        } catch (IOException e) {
            // the client left: the process is ended with the session
        }
    }

    static void frame(OutputStream out, int stream, byte[] b, int off, int len) throws IOException {
        Frames.write(out, stream, b, off, len < 0 ? b.length : len);
    }
}
