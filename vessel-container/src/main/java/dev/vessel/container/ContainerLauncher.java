package dev.vessel.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.host.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a prepared container detached from the daemon. runc is run through {@code vessel-init launch}, which opens the
 * container's status file as fd 3 for runc to hand over ({@code --preserve-fds 1}); the container's stdio are the log
 * file and, when interactive, a fifo. When the network needs the new namespace prepared, it is {@code runc create},
 * the network's attach with the init's pid (and its addresses and name server written into the container's /etc
 * files), then {@code runc start}; with {@code --network none} or {@code host}, a single {@code runc run --detach}.
 */
final class ContainerLauncher {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ContainerHost host;

    ContainerLauncher(ContainerHost host) {
        this.host = host;
    }

    /** Makes the run dir and, for an interactive container, its stdin fifo held open by the returned channel. */
    FileChannel prepareStdio(ContainerPaths p, ContainerSpec spec, UserResolver.User user) {
        try {
            Files.createDirectories(p.runDir());
            Files.deleteIfExists(p.status());
            Files.deleteIfExists(p.stdin());
            if (!Files.exists(p.log())) {
                Files.createFile(p.log());
            }
            if (!spec.interactive()) {
                return null;
            }
            int r = Native.mkfifo(p.stdin().toString(), 0600);
            if (r < 0) {
                throw VesselException.host("cannot make the stdin fifo " + p.stdin() + ": errno " + -r, null);
            }
            // vessel-init reopens the fifo through /proc/self/fd/0 as the container's user, to own a writer.
            // (the container's ids are host ids of its range when it has a user namespace of its own)
            var ids = spec.usernsRange();
            Files.setAttribute(p.stdin(), "unix:uid", ids == null ? user.uid() : ids.toHost(user.uid()));
            Files.setAttribute(p.stdin(), "unix:gid", ids == null ? user.gid() : ids.toHost(user.gid()));
            // Read-write: never blocks, and keeps a writer so the process's stdin stays open until we close it.
            return FileChannel.open(p.stdin(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the stdio of " + p.runDir(), e);
        }
    }

    /** Runs the container; returns the pid of its init. */
    long launch(Instance instance, ContainerPaths p, ContainerBundle.Prepared prepared) {
        String cid = ContainerHostLayout.containerId(instance.id());
        ContainerSpec spec = (ContainerSpec) instance.spec();
        boolean plugs = prepared.attaches(spec);
        var argv = new ArrayList<String>(
                List.of(host.initBinary().toString(), "launch", p.status().toString(), "--"));
        argv.addAll(
                plugs
                        ? host.runcArgv("create", "--bundle", p.bundle().toString(), "--preserve-fds", "1", cid)
                        : host.runcArgv(
                                "run", "--detach", "--bundle", p.bundle().toString(), "--preserve-fds", "1", cid));
        // A container left by a crash in the middle of an earlier start would block the id. runc keeps one directory
        // per container under its root: looking is cheaper than a runc call at every start.
        if (Files.exists(host.runtimeRoot().resolve(cid))) {
            host.runtime().delete(cid, true);
        }
        var r = host.proc().execLogged(argv, TIMEOUT, p.log(), spec.interactive() ? p.stdin() : null);
        if (!r.ok()) {
            host.runtime().delete(cid, true);
            throw VesselException.host("runc could not start container " + cid + ": " + lastLines(r.stderr()), null);
        }
        long pid = initPid(cid);
        if (plugs) {
            try {
                var attachment = host.networking().attach(instance, spec.network(), pid);
                EtcFiles.attached(p.etc(), prepared.hostname(), attachment);
                var s = host.proc().exec(host.runcArgv("start", cid), TIMEOUT, null, null);
                if (!s.ok()) {
                    throw VesselException.host(
                            "runc start " + cid + " failed: " + s.stderr().strip(), null);
                }
            } catch (RuntimeException e) {
                host.runtime().delete(cid, true);
                host.networking().detach(instance.id());
                throw e;
            }
        }
        return pid;
    }

    /**
     * The pid of the container's init, from the state runc keeps under its root ({@code init_process_pid}, what {@code
     * runc state} prints). Not {@code --pid-file}: runc writes that with O_SYNC, a journal commit per start on a run
     * dir that is not a tmpfs, which took ~4 ms here while the daemon's store had writes pending.
     */
    private long initPid(String cid) {
        Path state = host.runtimeRoot().resolve(cid).resolve("state.json");
        try {
            long pid = Json.MAPPER
                    .readTree(state.toFile())
                    .path("init_process_pid")
                    .asLong();
            if (pid > 0) {
                return pid;
            }
        } catch (IOException e) {
            // fall back to asking runc
        }
        return host.runtime()
                .state(cid)
                .map(s -> s.pid())
                .filter(pid -> pid > 0)
                .orElseThrow(() ->
                        VesselException.host("runc started container " + cid + " but reports no pid for it", null));
    }

    static String lastLines(String text) {
        var lines = text.strip().lines().toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
}
