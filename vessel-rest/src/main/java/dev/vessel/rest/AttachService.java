package dev.vessel.rest;

import dev.vessel.container.ContainerIo;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.engine.container.Containers;
import dev.vessel.engine.container.LogTail;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.event.EventBus;
import dev.vessel.host.Json;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A container's process as a client sees it: attach (its output as it comes, and its stdin), wait (until it ends, with
 * the exit code) and the terminal's size. Attach reads the log file and writes the stdin fifo, so it works just the
 * same after a daemon restart.
 */
public final class AttachService implements HttpService {
    public static final String ATTACH = "vessel-attach";
    private static final Set<String> ENDS = Set.of("stopped", "crashed", "start-failed", "removed");

    private final InstanceOps ops;
    private final Containers containers;
    private final EventBus events;

    public AttachService(InstanceOps ops, Containers containers, EventBus events) {
        this.ops = ops;
        this.containers = containers;
        this.events = events;
    }

    static Instance container(InstanceOps ops, String name) {
        Instance i = ops.get(name);
        if (i.kind() != InstanceKind.CONTAINER) {
            throw VesselException.invalid("name", "'" + name + "' is a vm, not a container");
        }
        return i;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/instances/{name}/attach", req -> {
            Instance i = container(ops, req.pathParam("name"));
            if (!req.header("Upgrade").map(u -> u.equalsIgnoreCase(ATTACH)).orElse(false)) {
                throw VesselException.invalid("Upgrade", "attach needs 'Connection: Upgrade' and 'Upgrade: " + ATTACH + "'");
            }
            boolean stdin = req.queryFlag("stdin");
            if (stdin && !((dev.vessel.core.model.ContainerSpec) i.spec()).interactive()) {
                throw VesselException.state("container '" + i.name() + "' was made without -i: its stdin is closed");
            }
            var log = containers.io().log(i);
            long offset = req.queryFlag("logs") || !Files.exists(log) ? 0 : Files.size(log);
            String name = i.name();
            return new HttpResponse.Upgrade(ATTACH, (in, out) -> {
                var clientGone = new AtomicBoolean();
                var ended = new java.util.concurrent.Semaphore(0);
                Runnable unsubscribe = events.subscribe(e -> {
                    if (name.equals(e.name()) && "container".equals(e.kind()) && ENDS.contains(e.type())) {
                        ended.release();
                    }
                });
                Thread input = Thread.ofVirtual().start(() -> pumpInput(name, in, stdin, clientGone));
                try {
                    LogTail.follow(log, offset, out, () -> finished(name), clientGone::get, ended);
                } finally {
                    unsubscribe.run();
                    out.close();
                    input.interrupt();
                }
            });
        });
        r.get("/api/v1/instances/{name}/wait", req -> {
            Instance i = container(ops, req.pathParam("name"));
            boolean next = req.queryFlag("next");
            // as Docker's condition=removed: the answer comes once the container is gone too (run --rm)
            String condition = req.queryParam("condition").orElse("stopped");
            if (!condition.equals("stopped") && !condition.equals("removed")) {
                throw VesselException.invalid("condition", "'" + condition + "' is neither stopped nor removed");
            }
            String name = i.name();
            return new HttpResponse.Streaming(200, "application/x-ndjson", out -> waitFor(name, next, condition.equals("removed"), out));
        });
        r.post("/api/v1/instances/{name}/resize", req -> {
            Instance i = container(ops, req.pathParam("name"));
            containers.io().resize(i, req.queryInt("rows", 24, 1, 1000), req.queryInt("cols", 80, 1, 1000));
            return HttpResponse.noContent();
        });
    }

    /** Done once the process ended (or the container is gone); a container not started yet is waited for. */
    private boolean finished(String name) {
        try {
            return ops.get(name).state() instanceof InstanceState.Stopped;
        } catch (VesselException e) {
            return true;
        }
    }

    /** Client input goes to the process's stdin once it runs; the client's end of input ends stdin (without a terminal). */
    private void pumpInput(String name, InputStream in, boolean stdin, AtomicBoolean clientGone) {
        ContainerIo.Stdin sink = null;
        byte[] b = new byte[8192];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                if (!stdin) {
                    continue;
                }
                if (sink == null) {
                    sink = openWhenRunning(name);
                }
                sink.write(b, 0, n);
            }
        } catch (IOException | VesselException e) {
            // the client or the container went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Without stdin the client sends nothing, so its end of input means it left; with stdin it may only have
            // finished its input (a half-close) and still read the output until the process ends.
            if (!stdin) {
                clientGone.set(true);
            }
            try {
                // The end of the client's input is the end of the process's (also when it sent nothing at all).
                if (sink == null && stdin) {
                    sink = openWhenRunning(name);
                }
            } catch (RuntimeException e) {
                // it ended meanwhile: nothing to close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (sink != null) {
                sink.close();
            }
        }
    }

    private ContainerIo.Stdin openWhenRunning(String name) throws InterruptedException {
        for (int tries = 0; tries < 3000; tries++) {
            Instance now = ops.get(name);
            if (now.state() instanceof InstanceState.Running) {
                return containers.io().openStdin(now);
            }
            if (now.state() instanceof InstanceState.Stopped) {
                throw VesselException.state("container '" + name + "' is not running");
            }
            Thread.sleep(10);
        }
        throw VesselException.timeout("container '" + name + "' did not start");
    }

    /**
     * Writes "waiting", then the end: the exit (reason, code) once the process ended, or with {@code untilRemoved}
     * the same exit once the container is removed as well ({@code "removed": true}), so that {@code run --rm} returns
     * when the name is free again.
     */
    private void waitFor(String name, boolean next, boolean untilRemoved, OutputStream out) throws IOException, InterruptedException {
        var queue = new LinkedBlockingQueue<EventBus.Event>();
        Runnable unsubscribe = events.subscribe(e -> {
            if (name.equals(e.name()) && "container".equals(e.kind()) && ENDS.contains(e.type())) {
                queue.offer(e);
            }
        });
        try {
            Map<String, Object> ended = null;
            var now = ops.find(name);
            if (now.isEmpty()) {
                line(out, Map.of("status", "removed"));
                return;
            }
            if (!next && now.get().state() instanceof InstanceState.Stopped s) {
                ended = result(s.reason().label(), s.exitCode(), s.detail());
                if (!untilRemoved) {
                    line(out, ended);
                    return;
                }
            }
            line(out, Map.of("status", "waiting"));
            while (true) {
                var e = queue.poll(untilRemoved && ended != null ? 1 : 15, TimeUnit.SECONDS);
                if (e == null) {
                    if (untilRemoved && ended != null && ops.find(name).isEmpty()) {
                        e = new EventBus.Event(0, null, "removed", "container", name, Map.of()); // the event came before we listened
                    } else {
                        out.write('\n'); // keep-alive, and notices a client that left
                        out.flush();
                        continue;
                    }
                }
                if (e.type().equals("removed")) {
                    var gone = new LinkedHashMap<String, Object>(ended == null ? Map.of("status", "removed") : ended);
                    gone.put("removed", true);
                    line(out, gone);
                    return;
                }
                Object code = e.data().get("exitCode");
                ended = result(String.valueOf(e.data().getOrDefault("reason", e.type())), code instanceof Number n ? n.intValue() : null,
                        (String) e.data().get("detail"));
                if (!untilRemoved) {
                    line(out, ended);
                    return;
                }
            }
        } finally {
            unsubscribe.run();
        }
    }

    private static Map<String, Object> result(String reason, Integer exitCode, String detail) {
        var m = new LinkedHashMap<String, Object>();
        m.put("status", "stopped");
        m.put("reason", reason);
        m.put("exitCode", exitCode);
        m.put("detail", detail);
        return m;
    }

    private static void line(OutputStream out, Map<String, Object> m) throws IOException {
        out.write((Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
