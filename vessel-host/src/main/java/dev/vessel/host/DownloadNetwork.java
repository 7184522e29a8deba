package dev.vessel.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The network namespace that downloads run in. A daemon may run in a network namespace of its own with no route out
 * (the demo's does, so that its bridges and NAT never touch the host's network), but Debian's mirror is only reachable
 * from the host's: so a program that downloads runs there, entered with {@code nsenter --net} (never {@code ip netns
 * exec}, which remounts /sys), and everything else stays where the daemon is.
 *
 * @param namespace the namespace file to enter, e.g. {@code /proc/1/ns/net}; empty when the daemon's own is the one
 */
public record DownloadNetwork(Optional<Path> namespace) {
    /** PID 1's network namespace: the host's, for a daemon that shares the host's PID namespace. */
    public static final Path HOST = Path.of("/proc/1/ns/net");

    private static final Path SELF = Path.of("/proc/self/ns/net");

    /** Downloads run where the daemon runs. */
    public static DownloadNetwork own() {
        return new DownloadNetwork(Optional.empty());
    }

    /**
     * Downloads run in {@code setting}: "host" for the host's namespace (below), "self" for the daemon's own, or the
     * path of a namespace file such as /run/netns/NAME. None needs nsenter when it is the daemon's own namespace.
     *
     * <p>"host" is PID 1's namespace. Where PID 1's namespace cannot be opened (a sandbox whose init holds
     * capabilities that root's shell lacks), it is the namespace of the process that started the daemon (the shell
     * or test that ran {@code nsenter --net=... vessel daemon}): the daemon opens it at once and keeps it open for
     * as long as it runs, so its children reach it as {@code /proc/DAEMON/fd/N}.
     */
    public static DownloadNetwork of(String setting) {
        if (setting.equals("self")) {
            return own();
        }
        if (!setting.equals("host")) {
            Path ns = Path.of(setting);
            return sameNamespace(ns, SELF) ? own() : new DownloadNetwork(Optional.of(ns));
        }
        if (readable(HOST)) {
            return sameNamespace(HOST, SELF) ? own() : new DownloadNetwork(Optional.of(HOST));
        }
        return ProcessHandle.current()
                .parent()
                .map(p -> Path.of("/proc", Long.toString(p.pid()), "ns", "net"))
                .filter(DownloadNetwork::readable)
                .filter(ns -> !sameNamespace(ns, SELF))
                .flatMap(DownloadNetwork::pin)
                .map(fd -> new DownloadNetwork(Optional.of(fd)))
                .orElseGet(DownloadNetwork::own);
    }

    private static final List<java.nio.channels.FileChannel> PINNED = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Opens {@code ns} and keeps it open; the path of that descriptor as other processes see it. */
    private static Optional<Path> pin(Path ns) {
        try {
            Path target = Files.readSymbolicLink(ns);
            var ch = java.nio.channels.FileChannel.open(ns, java.nio.file.StandardOpenOption.READ);
            PINNED.add(ch);
            Path fds = Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd");
            try (var s = Files.list(fds)) {
                // the newest descriptor that names the namespace is the one just opened (or an equal one)
                return s.filter(fd -> {
                            try {
                                return Files.readSymbolicLink(fd).equals(target);
                            } catch (IOException e) {
                                return false;
                            }
                        })
                        .max(java.util.Comparator.comparingInt(
                                fd -> Integer.parseInt(fd.getFileName().toString())));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean readable(Path ns) {
        try {
            Files.readSymbolicLink(ns);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static boolean sameNamespace(Path a, Path b) {
        try {
            return Files.readSymbolicLink(a).equals(Files.readSymbolicLink(b));
        } catch (IOException | UnsupportedOperationException e) {
            return Files.exists(a)
                    && a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /** {@code argv}, run in the download namespace. */
    public List<String> wrap(List<String> argv) {
        if (namespace.isEmpty()) {
            return argv;
        }
        var a = new ArrayList<String>(List.of("nsenter", "--net=" + namespace.get(), "--"));
        a.addAll(argv);
        return List.copyOf(a);
    }

    /** For messages: where downloads go out. */
    public String describe() {
        return namespace.map(p -> "the network namespace " + p).orElse("the daemon's own network namespace");
    }
}
