package dev.vessel.engine.container;

import dev.vessel.container.ContainerIo;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.instance.InstanceService;
import dev.vessel.engine.service.Containers;
import dev.vessel.model.ContainerCreateRequest;
import dev.vessel.model.ContainerVolumeView;
import dev.vessel.model.Event;
import dev.vessel.model.ExecRequest;
import dev.vessel.model.ExitResult;
import dev.vessel.model.InstanceView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Containers}: creation, and a container's process as a client sees it: attach (its output as it comes from the
 * log file, its stdin through the fifo, so both work the same after a daemon restart), exec, the wait for its end, the
 * terminal's size; and the named volumes.
 */
public final class ContainerService implements Containers {
    private static final Set<String> ENDS = union(InstanceOps.ENDED, "removed");

    private final ContainerParts parts;
    private final InstanceOps ops;
    private final InstanceService views;
    private final EventBus events;

    public ContainerService(ContainerParts parts, InstanceOps ops, InstanceService views, EventBus events) {
        this.parts = parts;
        this.ops = ops;
        this.views = views;
        this.events = events;
    }

    /** The container {@code name}; invalid for a VM. */
    private Instance container(String name) {
        Instance i = ops.get(name);
        if (i.kind() != InstanceKind.CONTAINER) {
            throw VesselException.invalid("name", "'" + name + "' is a vm, not a container");
        }
        return i;
    }

    @Override
    public InstanceView create(String project, ContainerCreateRequest request) {
        return views.view(ops.created(parts.creator().create(project, request)));
    }

    @Override
    public List<InstanceView> list() {
        return views.list(InstanceKind.CONTAINER);
    }

    @Override
    public Attach attach(String name, boolean stdin, boolean logs) {
        Instance i = container(name);
        if (stdin && !((ContainerSpec) i.spec()).interactive()) {
            throw VesselException.state("container '" + i.name() + "' was made without -i: its stdin is closed");
        }
        var log = parts.io().log(i);
        long offset;
        try {
            offset = logs || !Files.exists(log) ? 0 : Files.size(log);
        } catch (IOException e) {
            throw VesselException.host("cannot read the log of '" + name + "': " + e.getMessage(), e);
        }
        String n = i.name();
        return (in, out) -> {
            var clientGone = new AtomicBoolean();
            var ended = new Semaphore(0);
            Runnable unsubscribe = events.subscribe(e -> {
                if (n.equals(e.name()) && "container".equals(e.kind()) && ENDS.contains(e.type())) {
                    ended.release();
                }
            });
            Thread input = Thread.ofVirtual().start(() -> pumpInput(n, in, stdin, clientGone));
            try {
                LogTail.follow(log, offset, out, () -> finished(n), clientGone::get, ended);
            } catch (IOException e) {
                // the client left
            } finally {
                unsubscribe.run();
                try {
                    out.close();
                } catch (IOException ignored) {
                    // gone already
                }
                input.interrupt();
            }
        };
    }

    /** Done once the process ended (or the container is gone); a container not started yet is waited for. */
    private boolean finished(String name) {
        return ops.find(name)
                .map(i -> i.state() instanceof InstanceState.Stopped)
                .orElse(true);
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
                return parts.io().openStdin(now);
            }
            if (now.state() instanceof InstanceState.Stopped) {
                throw VesselException.state("container '" + name + "' is not running");
            }
            Thread.sleep(10);
        }
        throw VesselException.timeout("container '" + name + "' did not start");
    }

    @Override
    public Exec exec(String name, ExecRequest r) {
        Instance i = container(name);
        if (!i.state().active()) {
            throw VesselException.state(
                    "container '" + i.name() + "' is " + i.state().label() + ": start it to exec in it");
        }
        String user = dev.vessel.container.UserResolver.validate(r.user());
        var exec = parts.io()
                .exec(
                        i,
                        new ContainerIo.ExecSpec(r.command(), r.tty(), r.rows(), r.cols(), r.env(), user, r.workdir()));
        Process p = exec.process();
        String command = r.command().getFirst();
        return new Exec() {
            private dev.vessel.container.ExecFailure.Outcome outcome;

            @Override
            public InputStream stdout() {
                return p.getInputStream();
            }

            @Override
            public InputStream stderr() {
                return p.getErrorStream();
            }

            @Override
            public OutputStream stdin() {
                return p.getOutputStream();
            }

            @Override
            public void await(Duration max) throws InterruptedException {
                if (!p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                }
            }

            @Override
            public void destroy() {
                p.destroy();
            }

            @Override
            public boolean alive() {
                return p.isAlive();
            }

            @Override
            public void resize(int rows, int cols) {
                parts.io().resize(exec, rows, cols);
            }

            private synchronized dev.vessel.container.ExecFailure.Outcome outcome() {
                if (outcome == null) {
                    outcome = exec.outcome(command);
                }
                return outcome;
            }

            @Override
            public int exitCode() {
                return outcome().exitCode();
            }

            @Override
            public Optional<String> failure() {
                return Optional.ofNullable(outcome().message());
            }
        };
    }

    @Override
    public Wait await(String name, boolean next, boolean untilRemoved) {
        container(name);
        var queue = new LinkedBlockingQueue<Event>();
        Runnable unsubscribe = events.subscribe(e -> {
            if (name.equals(e.name()) && "container".equals(e.kind()) && ENDS.contains(e.type())) {
                queue.offer(e);
            }
        });
        var now = ops.find(name);
        ExitResult first = null;
        if (now.isEmpty()) {
            first = new ExitResult("removed", null, null, null, true);
        } else if (!next && now.get().state() instanceof InstanceState.Stopped s) {
            first = new ExitResult("stopped", s.reason().label(), s.exitCode(), s.detail(), false);
        }
        ExitResult start = first;
        return new Wait() {
            private ExitResult ended = start;

            @Override
            public Optional<ExitResult> already() {
                if (ended == null) {
                    return Optional.empty();
                }
                return ended.removed() || !untilRemoved ? Optional.of(ended) : Optional.empty();
            }

            @Override
            public Optional<ExitResult> next(Duration max) throws InterruptedException {
                long deadline = System.nanoTime() + max.toNanos();
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    // once it ended and only its removal is awaited, look now and then whether it is gone already
                    var e = queue.poll(
                            untilRemoved && ended != null ? Math.min(left, 1_000_000_000L) : left,
                            TimeUnit.NANOSECONDS);
                    if (e == null) {
                        if (untilRemoved && ended != null && ops.find(name).isEmpty()) {
                            return Optional.of(removed());
                        }
                        continue;
                    }
                    if (e.type().equals("removed")) {
                        return Optional.of(removed());
                    }
                    Object code = e.data().get("exitCode");
                    ended = new ExitResult(
                            "stopped",
                            String.valueOf(e.data().getOrDefault("reason", e.type())),
                            code instanceof Number n ? n.intValue() : null,
                            (String) e.data().get("detail"),
                            false);
                    if (!untilRemoved) {
                        return Optional.of(ended);
                    }
                }
            }

            private ExitResult removed() {
                return ended == null
                        ? new ExitResult("removed", null, null, null, true)
                        : new ExitResult(ended.status(), ended.reason(), ended.exitCode(), ended.detail(), true);
            }

            @Override
            public void close() {
                unsubscribe.run();
            }
        };
    }

    @Override
    public void resize(String name, int rows, int cols) {
        parts.io().resize(container(name), rows, cols);
    }

    @Override
    public List<ContainerVolumeView> volumes() {
        return parts.volumes().list();
    }

    @Override
    public ContainerVolumeView volume(String name) {
        return parts.volumes().inspect(name);
    }

    @Override
    public void removeVolume(String name) {
        parts.volumes().remove(name);
    }

    @Override
    public List<String> pruneVolumes() {
        return parts.volumes().prune();
    }

    private static Set<String> union(Set<String> a, String b) {
        var s = new java.util.HashSet<>(a);
        s.add(b);
        return Set.copyOf(s);
    }
}
