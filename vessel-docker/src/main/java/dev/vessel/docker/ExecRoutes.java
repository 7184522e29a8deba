package dev.vessel.docker;

import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.engine.service.Containers;
import dev.vessel.engine.service.Services;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.model.ExecRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code docker exec}: an exec instance made, started over a hijacked connection, resized, and asked how it ended. */
final class ExecRoutes {
    private static final Duration MAX_RUN = Duration.ofDays(365);

    private final Services services;
    private final ContainerRoutes containers;
    private final ExecSessions sessions;

    ExecRoutes(Services services, ContainerRoutes containers, ExecSessions sessions) {
        this.services = services;
        this.containers = containers;
        this.sessions = sessions;
    }

    void routing(DockerApi api) {
        api.change("POST", "/containers/{id}/exec", this::create);
        api.change("POST", "/exec/{id}/start", this::start);
        api.change("POST", "/exec/{id}/resize", req -> {
            var s = sessions.get(req.pathParam("id"));
            Integer h = DockerApi.integer(req, "h");
            Integer w = DockerApi.integer(req, "w");
            if (h == null || w == null || h < 1 || w < 1 || h > 1000 || w > 1000) {
                throw DockerErrors.invalid("resize needs h and w between 1 and 1000");
            }
            if (s.running == null) {
                throw DockerErrors.conflict("exec " + s.id + " is not running");
            }
            s.running.resize(h, w);
            return HttpResponse.json(200, new byte[0]);
        });
        api.read("GET", "/exec/{id}/json", req -> DockerJson.ok(inspect(sessions.get(req.pathParam("id")))));
    }

    private HttpResponse create(HttpRequest req) {
        Instance i = containers.container(req);
        if (!i.state().active()) {
            throw DockerErrors.conflict("Container " + i.id() + " is not running");
        }
        var body = DockerJson.body(req);
        List<String> cmd = DockerJson.strings(body, "Cmd");
        if (cmd == null || cmd.isEmpty()) {
            throw DockerErrors.invalid("No exec command specified");
        }
        if (DockerJson.bool(body, "Privileged")) {
            throw DockerErrors.invalid("privileged exec is not supported by Vessel");
        }
        int rows = 24;
        int cols = 80;
        var size = body.get("ConsoleSize");
        if (size != null
                && size.isArray()
                && size.size() == 2
                && size.get(0).asInt() > 0
                && size.get(1).asInt() > 0) {
            rows = Math.min(size.get(0).asInt(), 1000);
            cols = Math.min(size.get(1).asInt(), 1000);
        }
        List<String> env = DockerJson.strings(body, "Env");
        String user = DockerJson.text(body, "User");
        String workdir = DockerJson.text(body, "WorkingDir");
        var request = new ExecRequest(
                cmd,
                DockerJson.bool(body, "Tty"),
                rows,
                cols,
                env == null ? List.of() : env,
                user == null || user.isEmpty() ? null : user,
                workdir == null || workdir.isEmpty() ? null : workdir);
        var s = sessions.add(
                i.name(),
                i.id(),
                request,
                DockerJson.bool(body, "AttachStdin"),
                DockerJson.bool(body, "AttachStdout"),
                DockerJson.bool(body, "AttachStderr"));
        return DockerJson.json(201, Map.of("Id", s.id));
    }

    private HttpResponse start(HttpRequest req) {
        var s = sessions.get(req.pathParam("id"));
        var body = DockerJson.body(req);
        boolean detach = DockerJson.bool(body, "Detach");
        synchronized (s) {
            if (s.running != null) {
                throw DockerErrors.conflict("Error: Exec command " + s.id + " has already run");
            }
            s.running = services.containers().exec(s.container, s.request);
        }
        Containers.Exec exec = s.running;
        if (detach) {
            Thread.ofVirtual().name("docker-exec-" + s.id.substring(0, 12)).start(() -> {
                try {
                    exec.stdin().close();
                    run(s, exec, InputStream.nullInputStream(), OutputStream.nullOutputStream());
                } catch (IOException | InterruptedException e) {
                    exec.destroy();
                }
            });
            return HttpResponse.json(200, new byte[0]);
        }
        if (!req.header("Upgrade").map(u -> u.equalsIgnoreCase("tcp")).orElse(false)) {
            exec.destroy();
            sessions.ended(s, 126);
            throw DockerErrors.invalid(
                    "exec start is a hijacked stream: send 'Connection: Upgrade' and 'Upgrade: tcp'");
        }
        String type =
                s.request.tty() ? StdFrames.RAW : DockerApi.minor(req) >= 42 ? StdFrames.MULTIPLEXED : StdFrames.RAW;
        return new HttpResponse.Upgrade("tcp", (in, out) -> run(s, exec, in, out), Map.of("Content-Type", type));
    }

    /** Pumps the command's streams to the client, and the client's input to it, until the command ended. */
    private void run(ExecSessions.Session s, Containers.Exec exec, InputStream in, OutputStream out)
            throws IOException, InterruptedException {
        boolean tty = s.request.tty();
        OutputStream stdout =
                s.attachStdout || tty ? StdFrames.of(out, tty, StdFrames.STDOUT) : OutputStream.nullOutputStream();
        OutputStream stderr =
                s.attachStderr ? StdFrames.of(out, tty, StdFrames.STDERR) : OutputStream.nullOutputStream();
        Thread o = Thread.ofVirtual().start(() -> copy(exec.stdout(), stdout));
        Thread e = Thread.ofVirtual().start(() -> copy(exec.stderr(), stderr));
        Thread i = Thread.ofVirtual().start(() -> {
            try (var sink = exec.stdin()) {
                if (s.attachStdin) {
                    in.transferTo(sink); // the client's half-close ends the command's input
                }
            } catch (IOException ignored) {
                // the command or the client went away
            }
        });
        try {
            exec.await(MAX_RUN);
            o.join();
            e.join();
            var failure = exec.failure();
            if (failure.isPresent()) {
                stderr.write((failure.get() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        } catch (InterruptedException ex) {
            exec.destroy();
            throw ex;
        } finally {
            sessions.ended(s, exec.alive() ? 137 : exec.exitCode());
            i.interrupt();
        }
    }

    private static void copy(InputStream from, OutputStream to) {
        byte[] b = new byte[16 * 1024];
        try {
            int n;
            while ((n = from.read(b)) > 0) {
                to.write(b, 0, n);
                to.flush();
            }
        } catch (IOException ignored) {
            // the client left; the command goes on until it ends
        }
    }

    private Map<String, Object> inspect(ExecSessions.Session s) {
        var m = new LinkedHashMap<String, Object>();
        boolean running = s.running != null && s.ended == null;
        m.put("ID", s.id);
        m.put("Running", running);
        m.put("ExitCode", s.ended == null ? null : s.exitCode);
        var pc = new LinkedHashMap<String, Object>();
        pc.put("tty", s.request.tty());
        pc.put("entrypoint", s.request.command().getFirst());
        pc.put("arguments", s.request.command().subList(1, s.request.command().size()));
        pc.put("privileged", false);
        pc.put("user", s.request.user() == null ? "" : s.request.user());
        m.put("ProcessConfig", pc);
        m.put("OpenStdin", s.attachStdin);
        m.put("OpenStderr", s.attachStderr);
        m.put("OpenStdout", s.attachStdout);
        m.put("CanRemove", false);
        m.put("ContainerID", s.containerId);
        m.put("DetachKeys", "");
        m.put("Pid", 0);
        return m;
    }

    static boolean hasTty(Instance i) {
        return i.spec() instanceof ContainerSpec c && c.tty();
    }
}
