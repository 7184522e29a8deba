package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.engine.store.Database;
import dev.vessel.engine.store.SqliteIpamStore;
import dev.vessel.engine.store.SqliteNetworkStore;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import dev.vessel.net.AllocationRequest;
import dev.vessel.net.ContainerNic;
import dev.vessel.net.HostNet;
import dev.vessel.net.Lease;
import dev.vessel.net.LeaseOwner;
import dev.vessel.net.NetnsRef;
import dev.vessel.net.NetworkManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A daemon that manages networks inside a network namespace the test made ("host"), an "outside" namespace joined to
 * it by a veth (a client that reaches the host from elsewhere), and stand-in containers. Nothing of this touches the
 * machine's own namespace; {@link #close} removes every namespace, with whatever still runs in it.
 */
final class NetTestBed implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String HOST_ADDRESS = "192.0.2.1";

    final ProcessRunner runner = new ProcessRunner();
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> fakeContainers = new ArrayList<>();
    final String host;
    final String outside;
    final DaemonProcess daemon;
    private Database db;
    private NetworkManager library;

    NetTestBed(String... daemonArgs) throws Exception {
        host = netns("host");
        outside = netns("out");
        daemon = DaemonProcess.inNetns(host, daemonArgs);
        try {
            run(host, "ip", "link", "add", "vt-ext0", "type", "veth", "peer", "name", "vt-ext1", "netns", outside);
            run(host, "ip", "addr", "add", HOST_ADDRESS + "/24", "dev", "vt-ext0");
            run(host, "ip", "link", "set", "vt-ext0", "up");
            run(outside, "ip", "addr", "add", "192.0.2.2/24", "dev", "vt-ext1");
            run(outside, "ip", "link", "set", "vt-ext1", "up");
            daemon.start();
            TinyImageSupport.ensure(daemon);
        } catch (Exception | AssertionError e) {
            // The test never gets the bed to close: what was made goes now.
            try {
                close();
            } catch (Exception c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    /** A namespace with a fresh name ("vt-" + role + random hex) and loopback up. */
    String netns(String role) {
        String name = "vt-" + role + "-"
                + HexFormat.of()
                        .toHexDigits(ThreadLocalRandom.current().nextInt())
                        .substring(0, 6);
        runner.run(TIMEOUT, "ip", "netns", "add", name);
        namespaces.add(name);
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

    /**
     * busybox wget; null when it fails or gets no answer within 5 s (a dropped packet: busybox 1.35's wget crashes
     * when given -T, so the runner's own timeout bounds it).
     */
    String fetch(String ns, String url) {
        try {
            var r = runner.exec(
                    List.of("ip", "netns", "exec", ns, "busybox", "wget", "-q", "-O", "-", url),
                    Duration.ofSeconds(5),
                    null,
                    null);
            return r.ok() ? r.stdout() : null;
        } catch (dev.vessel.core.error.VesselException e) {
            if (e.type() == dev.vessel.core.error.ProblemType.TIMEOUT) {
                return null;
            }
            throw e;
        }
    }

    boolean ping(String ns, String address) {
        return exec(ns, "busybox", "ping", "-c", "1", "-W", "2", address).ok();
    }

    /** Fetches until it answers: a guest brings its NIC up and gets its lease a moment after the ready marker. */
    String awaitPage(String ns, String url) throws InterruptedException {
        for (int i = 0; i < 60; i++) {
            String page = fetch(ns, url);
            if (page != null) {
                return page;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no answer from " + url + " in " + ns);
    }

    /**
     * A stand-in container: a namespace plugged into a network through the library, on the daemon's own store and
     * state (SQLite takes the second writer), exactly as the daemon plugs a container: a veth on the bridge, its IPAM
     * address, a default route; and a resolv.conf naming the network's dnsmasq ({@code ip netns exec} shows
     * /etc/netns/NS/resolv.conf as /etc/resolv.conf).
     */
    record Ctr(String ns, Lease lease) {}

    Ctr container(String network, String name) throws IOException {
        String ns = netns("ctr");
        String id = "ctr-" + name;
        Lease lease = library()
                .attachContainer(
                        network,
                        AllocationRequest.dynamic(new LeaseOwner(id, 0), name),
                        new NetnsRef.Named(ns),
                        ContainerNic.staticAddress(0));
        fakeContainers.add(id);
        String gateway = library().inspect(network).spec().gateway().toString();
        Path etc = Files.createDirectories(Path.of("/etc/netns", ns));
        Files.writeString(etc.resolve("resolv.conf"), "search vessel\nnameserver " + gateway + "\n");
        return new Ctr(ns, lease);
    }

    private NetworkManager library() {
        if (library == null) {
            db = new Database(daemon.dataDir().resolve("vessel.db"));
            library = new NetworkManager(
                    HostNet.inNamespace(runner, host),
                    daemon.dataDir().resolve("net"),
                    new SqliteNetworkStore(db),
                    new SqliteIpamStore(db));
        }
        return library;
    }

    /** What teardown must bring back: links, rules, processes of the namespace, the store's network state, dnsmasq's files. */
    record Snapshot(
            String links,
            String ruleset,
            List<String> processes,
            String store,
            String dnsmasqFiles,
            List<String> containers) {}

    Snapshot snapshot() throws IOException {
        String links = run(host, "ip", "-d", "link", "show")
                .stdout()
                // The bridge's running timers tick on their own; a link made again gets a new index; the kernel derives
                // a bridge's offload limits from the ports it has had and does not lower them again when they leave.
                .replaceAll("(\\w+_timer)\\s+[0-9.]+", "$1 *")
                .replaceAll("(tso_max_size|gso_max_size) \\d+", "$1 *")
                .replaceAll("(?m)^\\d+: ", "N: ")
                .replaceAll("@if\\d+", "@ifN");
        var store = new StringBuilder();
        for (String path : List.of("/api/v1/instances", "/api/v1/networks", "/api/v1/ports")) {
            store.append(path).append(' ').append(daemon.get(path)).append('\n');
        }
        for (JsonNode n : daemon.get("/api/v1/networks")) {
            JsonNode info = daemon.get("/api/v1/networks/" + n.path("name").asText());
            store.append(n.path("name").asText())
                    .append(" leases ")
                    .append(info.path("leases"))
                    .append(" forwards ")
                    .append(info.path("forwards"))
                    .append(" bridge ")
                    .append(info.path("bridgePresent"))
                    .append(" dnsmasq ")
                    .append(info.path("dnsmasqPid").isNull() ? "off" : "on")
                    .append('\n');
        }
        return new Snapshot(
                links,
                run(host, "nft", "list", "ruleset").stdout(),
                processes(host),
                store.toString(),
                dnsmasqFiles(),
                daemon.containers());
    }

    private String dnsmasqFiles() throws IOException {
        Path dir = daemon.dataDir().resolve("net/networks");
        if (!Files.isDirectory(dir)) {
            return "";
        }
        var sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.equals("dhcp-hosts")
                        || name.equals("hosts")
                        || name.equals("dnsmasq.leases")
                        || name.equals("dnsmasq.conf")) {
                    sb.append(dir.relativize(p)).append(":\n").append(Files.readString(p));
                }
            }
        }
        return sb.toString();
    }

    void assertClean(Snapshot before) throws IOException, InterruptedException {
        // A VM's namespace is torn down by the kernel in the background after QEMU exits, taking the veth's host end
        // with it; the bridge's carrier follows a moment later.
        Snapshot after = snapshot();
        for (int i = 0; i < 50 && !after.equals(before); i++) {
            Thread.sleep(200);
            after = snapshot();
        }
        assertThat(after.links()).as("ip -d link in %s", host).isEqualTo(before.links());
        assertThat(after.ruleset()).as("nft list ruleset in %s", host).isEqualTo(before.ruleset());
        assertThat(after.processes()).as("processes in %s", host).isEqualTo(before.processes());
        assertThat(after.store()).as("the store").isEqualTo(before.store());
        assertThat(after.dnsmasqFiles()).as("dnsmasq's host and lease files").isEqualTo(before.dnsmasqFiles());
        assertThat(after.containers()).as("runc containers").isEqualTo(before.containers());
    }

    /** The command lines of the processes in a namespace (pids change when dnsmasq restarts; what runs must not). */
    static List<String> processes(String ns) throws IOException {
        String id = "net:[" + Files.getAttribute(Path.of("/run/netns", ns), "unix:ino") + "]";
        var out = new ArrayList<String>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    if (Files.readSymbolicLink(p.resolve("ns/net")).toString().equals(id)) {
                        out.add(new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                                .replace('\0', ' ')
                                .strip());
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return out.stream().sorted().toList();
    }

    /** The pids of the processes in a namespace. */
    static List<Long> pids(String ns) throws IOException {
        String id = "net:[" + Files.getAttribute(Path.of("/run/netns", ns), "unix:ino") + "]";
        var out = new ArrayList<Long>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    if (Files.readSymbolicLink(p.resolve("ns/net")).toString().equals(id)) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return out;
    }

    /** Gives back the stand-in containers' addresses (they are no instances the daemon would release). */
    void releaseContainers() {
        for (String id : fakeContainers) {
            library().release(id);
        }
        fakeContainers.clear();
    }

    @Override
    public void close() throws Exception {
        var failures = new ArrayList<Exception>();
        try {
            releaseContainers();
        } catch (Exception e) {
            failures.add(e);
        }
        if (db != null) {
            db.close();
        }
        try {
            daemon.close();
        } catch (Exception e) {
            failures.add(e);
        }
        for (String ns : namespaces) {
            try {
                // dnsmasq outlives its daemon by design; here it goes with the namespace, by pid, checked to be inside.
                for (long pid : pids(ns)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
                AtomicFiles.deleteTree(Path.of("/etc/netns", ns));
                runner.run(TIMEOUT, "ip", "netns", "del", ns);
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            var e = failures.getFirst();
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
