package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.host.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Network namespaces a test creates and removes again: the "host" the library manages, "containers", an "outside"
 * client. Everything the integration tests do happens in these; nothing touches the machine's own namespace.
 */
final class Netns {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final ProcessRunner runner = new ProcessRunner();
    private final List<String> names = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** Creates a namespace with a fresh name ("vt-" + random hex) and loopback up. */
    String create(String role) {
        String name = "vt-" + role + "-"
                + HexFormat.of()
                        .toHexDigits(ThreadLocalRandom.current().nextInt())
                        .substring(0, 6);
        runner.run(TIMEOUT, "ip", "netns", "add", name);
        names.add(name);
        runner.run(TIMEOUT, "ip", "-n", name, "link", "set", "dev", "lo", "up");
        return name;
    }

    ProcessRunner.Result exec(String ns, String... argv) {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(argv));
        return runner.exec(full, TIMEOUT, null, null);
    }

    ProcessRunner.Result run(String ns, String... argv) {
        return exec(ns, argv).orThrow();
    }

    /** Starts a long-running program inside a namespace; it is killed on close. */
    Process spawn(String ns, Path log, String... argv) throws IOException {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(argv));
        Process p = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        processes.add(p);
        return p;
    }

    /** Links with their details, as ip prints them. */
    String links(String ns) {
        return run(ns, "ip", "-d", "link", "show").stdout();
    }

    String ruleset(String ns) {
        return run(ns, "nft", "list", "ruleset").stdout();
    }

    /** The pids of every process whose network namespace is {@code ns}. */
    List<Long> processes(String ns) throws IOException {
        String id = "net:[" + Files.getAttribute(Path.of("/run/netns", ns), "unix:ino") + "]";
        var proc = ProcFs.system();
        return proc.pids().stream()
                .filter(pid -> proc.netns(pid).map(id::equals).orElse(false))
                .toList();
    }

    /** What teardown must restore. */
    record Snapshot(String links, String ruleset, List<Long> processes, String ipForward) {}

    Snapshot snapshot(String ns) throws IOException {
        return new Snapshot(
                links(ns),
                ruleset(ns),
                processes(ns),
                run(ns, "sysctl", "-n", "net.ipv4.ip_forward").stdout().strip());
    }

    void assertUnchanged(String ns, Snapshot before) throws IOException {
        Snapshot after = snapshot(ns);
        assertThat(after.links()).as("ip -d link in %s", ns).isEqualTo(before.links());
        assertThat(after.ruleset()).as("nft list ruleset in %s", ns).isEqualTo(before.ruleset());
        assertThat(after.processes()).as("processes in %s", ns).isEqualTo(before.processes());
        assertThat(after.ipForward()).as("ip_forward in %s", ns).isEqualTo(before.ipForward());
    }

    /** Kills what the test spawned and removes the namespaces, with anything still running in them. */
    void close() throws Exception {
        var failures = new ArrayList<Exception>();
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor();
        }
        // Any process still in a namespace (a dnsmasq of a failed test) would keep nothing alive once the namespace
        // file is gone, but it would linger: end those first, by pid, verified to be in our namespace.
        for (String ns : names) {
            try {
                for (long pid : processes(ns)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (Exception e) {
                failures.add(e);
            } finally {
                try {
                    runner.run(TIMEOUT, "ip", "netns", "del", ns);
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            var e = failures.getFirst();
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
