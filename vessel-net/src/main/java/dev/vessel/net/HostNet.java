package dev.vessel.net;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one door to the host's network stack: every {@code ip}, {@code nft}, {@code sysctl}, {@code ss} and
 * {@code dnsmasq} Vessel runs goes through here.
 *
 * <p>In production the daemon owns the host's namespace and uses {@link #host}. Tests (and a daemon that should manage
 * a private namespace) use {@link #inNamespace}: every command is then prefixed with {@code ip netns exec NS}, so the
 * library under test creates its bridges, rules and dnsmasq inside a namespace the test made and never touches the
 * machine's own. Commands that must run in someone else's namespace (a container's) use {@link #inside}, which
 * enters that namespace by its file and needs no prefix.
 */
public class HostNet {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ProcessRunner runner;
    private final String namespace;

    HostNet(ProcessRunner runner, String namespace) {
        this.runner = runner;
        this.namespace = namespace;
    }

    /** Runs commands in the namespace the JVM itself lives in. */
    public static HostNet host(ProcessRunner runner) {
        return new HostNet(runner, null);
    }

    /** Runs every command inside the named namespace (one made by {@code ip netns add}). */
    public static HostNet inNamespace(ProcessRunner runner, String netns) {
        return new HostNet(runner, new NetnsRef.Named(netns).name());
    }

    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** The argv as it will run: with the {@code ip netns exec} prefix when a namespace is configured. */
    List<String> argv(List<String> command) {
        if (namespace == null) {
            return List.copyOf(command);
        }
        var out = new ArrayList<String>(command.size() + 4);
        out.addAll(List.of("ip", "netns", "exec", namespace));
        out.addAll(command);
        return out;
    }

    /** Runs a command here and fails on a non-zero exit. */
    public ProcessRunner.Result run(String... command) {
        return runner.exec(argv(List.of(command)), TIMEOUT, null, null).orThrow();
    }

    /** Runs a command here and returns whatever it exits with. */
    public ProcessRunner.Result attempt(String... command) {
        return runner.exec(argv(List.of(command)), TIMEOUT, null, null);
    }

    public ProcessRunner.Result ip(String... args) {
        return run(prepend("ip", args));
    }

    /**
     * Runs several {@code ip} commands in one process ({@code ip -batch -}): a host change of many steps costs one fork
     * and exec instead of one per step. ip stops at the first command that fails and says which.
     */
    public ProcessRunner.Result ipBatch(List<List<String>> commands) {
        return runner.exec(argv(List.of("ip", "-batch", "-")), TIMEOUT, null, batch(commands))
                .orThrow();
    }

    /** {@link #ipBatch} that runs every command whatever the others do ({@code -force}); the caller judges the result. */
    public ProcessRunner.Result ipBatchAll(List<List<String>> commands) {
        return runner.exec(argv(List.of("ip", "-force", "-batch", "-")), TIMEOUT, null, batch(commands));
    }

    /** {@link #ipBatch} inside another namespace (a container's), entered by its namespace file. */
    public ProcessRunner.Result ipBatchInside(NetnsRef ns, List<List<String>> commands) {
        return runner.exec(
                        List.of("nsenter", "--net=" + ns.path(), "--", "ip", "-batch", "-"),
                        TIMEOUT,
                        null,
                        batch(commands))
                .orThrow();
    }

    /** One command per line; ip splits a batch line at blanks, so no argument may contain any. */
    static byte[] batch(List<List<String>> commands) {
        var sb = new StringBuilder();
        for (List<String> c : commands) {
            for (String a : c) {
                if (a.isEmpty() || a.chars().anyMatch(ch -> ch <= ' ' || ch == '"' || ch == '\\' || ch == '#')) {
                    throw new IllegalArgumentException("not a batch argument: '" + a + "'");
                }
            }
            sb.append(String.join(" ", c)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Applies an nft script as one transaction: it all takes effect or none of it does. */
    public void nft(String script) {
        runner.exec(argv(List.of("nft", "-f", "-")), TIMEOUT, null, script.getBytes(StandardCharsets.UTF_8))
                .orThrow();
    }

    public String sysctl(String key) {
        return run("sysctl", "-n", key).stdout().strip();
    }

    public void sysctl(String key, String value) {
        run("sysctl", "-q", "-w", key + "=" + value);
    }

    /** Listening TCP sockets and unconnected UDP sockets with their processes, as {@code ss -Hlntup} prints them. */
    public String listeningSockets() {
        return run("ss", "-H", "-l", "-n", "-t", "-u", "-p").stdout();
    }

    /** Runs a command inside another namespace (a container's), entered by its namespace file. */
    public ProcessRunner.Result inside(NetnsRef ns, String... command) {
        var argv = new ArrayList<String>(List.of("nsenter", "--net=" + ns.path(), "--"));
        argv.addAll(List.of(command));
        return runner.exec(argv, TIMEOUT, null, null).orThrow();
    }

    /** Starts a program that daemonises itself (dnsmasq) here; its early output is appended to {@code log}. */
    public ProcessRunner.Result startDaemon(Path log, String... command) {
        return runner.execLogged(argv(List.of(command)), TIMEOUT, log);
    }

    /** Sends a signal by name ("HUP", "TERM") to a process; PIDs are global, so no namespace prefix is needed. */
    public boolean signal(long pid, String signal) {
        return runner.exec(List.of("kill", "-s", signal, Long.toString(pid)), TIMEOUT, null, null)
                .ok();
    }

    /**
     * The identity of the namespace commands run in, as /proc shows it ("net:[4026532000]"), so that processes found
     * in /proc can be told apart from those of other namespaces.
     */
    public String netnsId() {
        try {
            if (namespace == null) {
                return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            }
            Object ino = Files.getAttribute(new NetnsRef.Named(namespace).path(), "unix:ino");
            return "net:[" + ino + "]";
        } catch (IOException e) {
            throw VesselException.host(
                    "cannot identify network namespace " + (namespace == null ? "of the daemon" : namespace), e);
        }
    }

    private static String[] prepend(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
