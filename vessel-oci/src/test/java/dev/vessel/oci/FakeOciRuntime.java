package dev.vessel.oci;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link OciRuntime} with no processes: containers are entries with a status and a fake pid. It reads the bundle's
 * config.json as runc would (a bundle without {@code process.args} fails), so the engine's and drivers' use of it
 * stays honest; it passes {@link OciRuntimeContract}.
 */
public final class FakeOciRuntime implements OciRuntime {
    private final Map<String, ContainerState> containers = new ConcurrentHashMap<>();
    private final AtomicLong pids = new AtomicLong(60_000);
    private final Map<String, List<List<String>>> helpers = new ConcurrentHashMap<>();

    @Override
    public String describe() {
        return "fake-runtime 1.0";
    }

    @Override
    public void run(String id, Path bundle, Path log) {
        create(id, bundle, log);
        start(id);
    }

    @Override
    public synchronized void create(String id, Path bundle, Path log) {
        if (containers.containsKey(id)) {
            throw VesselException.host("fake runtime: container " + id + " exists already", null);
        }
        try {
            var config = Json.tree(Files.readString(bundle.resolve("config.json")));
            if (!config.path("process").path("args").isArray()
                    || config.path("process").path("args").isEmpty()) {
                throw VesselException.host(
                        "fake runtime could not create container " + id + ": config.json has no process.args", null);
            }
            Files.writeString(
                    log, "", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("fake runtime could not read the bundle of " + id, e);
        }
        containers.put(id, new ContainerState(id, Status.CREATED, pids.incrementAndGet(), bundle.toString()));
    }

    @Override
    public synchronized void start(String id) {
        var c = require(id);
        if (c.status() != Status.CREATED) {
            throw VesselException.host("fake runtime: cannot start " + id + ", it is " + c.status(), null);
        }
        containers.put(id, with(c, Status.RUNNING));
    }

    /** Records the helper's argv (no process runs) and writes a fake pid, as runc's pid file. */
    @Override
    public synchronized long execDetached(String id, List<String> args, Path pidFile, Path log) {
        var c = require(id);
        if (c.status() != Status.CREATED && c.status() != Status.RUNNING) {
            throw VesselException.host("fake runtime: cannot exec in " + id + ", it is " + c.status(), null);
        }
        long pid = pids.incrementAndGet();
        helpers.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(List.copyOf(args));
        try {
            Files.writeString(pidFile, pid + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pid;
    }

    /** The helpers started in a container, each as its argv. */
    public List<List<String>> helpers(String id) {
        return List.copyOf(helpers.getOrDefault(id, List.of()));
    }

    @Override
    public Optional<ContainerState> state(String id) {
        return Optional.ofNullable(containers.get(id));
    }

    @Override
    public synchronized void kill(String id, String signal) {
        var c = containers.get(id);
        if (c != null && c.status() != Status.STOPPED) {
            containers.put(id, with(c, Status.STOPPED));
        }
    }

    @Override
    public synchronized void delete(String id, boolean force) {
        var c = containers.get(id);
        if (c == null) {
            return;
        }
        if (!force && c.status() != Status.STOPPED && c.status() != Status.CREATED) {
            throw VesselException.host("fake runtime: cannot delete " + id + ", it is " + c.status(), null);
        }
        containers.remove(id);
    }

    @Override
    public synchronized void pause(String id) {
        var c = require(id);
        if (c.status() != Status.RUNNING) {
            throw VesselException.host("fake runtime: cannot pause " + id + ", it is " + c.status(), null);
        }
        containers.put(id, with(c, Status.PAUSED));
    }

    @Override
    public synchronized void resume(String id) {
        var c = require(id);
        if (c.status() != Status.PAUSED) {
            throw VesselException.host("fake runtime: cannot resume " + id + ", it is " + c.status(), null);
        }
        containers.put(id, with(c, Status.RUNNING));
    }

    @Override
    public List<ContainerState> list() {
        return new ArrayList<>(containers.values());
    }

    /** Whether a container of the fake has this pid and its process "runs". */
    public boolean alive(long pid) {
        return containers.values().stream().anyMatch(c -> c.pid() == pid && c.status() != Status.STOPPED);
    }

    /** A container the runtime knows but nothing else does (what a crash between runc and the store leaves). */
    public void leave(String id) {
        containers.put(id, new ContainerState(id, Status.RUNNING, pids.incrementAndGet(), "/fake/bundles/" + id));
    }

    private ContainerState require(String id) {
        var c = containers.get(id);
        if (c == null) {
            throw VesselException.host("fake runtime: container " + id + " does not exist", null);
        }
        return c;
    }

    private static ContainerState with(ContainerState c, Status s) {
        return new ContainerState(c.id(), s, c.pid(), c.bundle());
    }
}
