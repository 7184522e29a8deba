package dev.vessel.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.http.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real `vessel daemon` in its own JVM, with its own data and run dirs, so a test can SIGKILL and restart it while
 * its VMs keep running. Closing it removes every container it made and its directories.
 *
 * <p>Managed networks change the namespace the daemon runs in (bridges, nft tables, dnsmasq), so a daemon in the
 * host's namespace runs without a default network; tests of networks use {@link #inNetns}, which starts the daemon
 * inside a network namespace the test made ({@code nsenter --net}, not {@code ip netns exec}: the latter remounts
 * /sys, which hides the cgroup file system runc needs). The test still reaches it over its unix socket.
 */
public final class DaemonProcess implements AutoCloseable {
    private final Path base;
    private final List<String> extraArgs;
    private final String netns;
    private Process process;

    public DaemonProcess(String... extraArgs) throws IOException {
        this(null, extraArgs);
    }

    private DaemonProcess(String netns, String... extraArgs) throws IOException {
        this.base = Files.createTempDirectory(Path.of("/tmp"), "vt-");
        // dnsmasq drops to "nobody" and reads its files under the data dir: every directory above must be traversable.
        Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        this.netns = netns;
        var args = new ArrayList<>(List.of(extraArgs));
        if (netns == null && !args.contains("--default-network")) {
            args.addAll(List.of("--default-network", "none"));
        }
        this.extraArgs = List.copyOf(args);
    }

    /** A TCP port free on loopback now, for a daemon's --tcp-listen. */
    public static int freeLoopbackPort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A daemon inside the named network namespace ({@code ip netns add}), with the default network unless told. */
    public static DaemonProcess inNetns(String netns, String... extraArgs) throws IOException {
        return new DaemonProcess(netns, extraArgs);
    }

    public Path dataDir() {
        return base.resolve("data");
    }

    public Path runDir() {
        return base.resolve("run");
    }

    public Path socket() {
        return runDir().resolve("vessel.sock");
    }

    public Path log() {
        return base.resolve("daemon.log");
    }

    public ApiClient client() {
        return ApiClient.unix(socket());
    }

    public long pid() {
        return process.pid();
    }

    public DaemonProcess start() throws IOException, InterruptedException {
        var argv = new ArrayList<String>();
        if (netns != null) {
            argv.addAll(List.of("nsenter", "--net=/run/netns/" + netns, "--"));
        }
        argv.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.vessel.daemon.DaemonMain",
                "--data-dir",
                dataDir().toString(),
                "--run-dir",
                runDir().toString()));
        argv.addAll(extraArgs);
        process = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the daemon exited with " + process.exitValue() + ":\n" + Files.readString(log()));
            }
            if (Files.exists(socket())) {
                try {
                    if (client().call("GET", "/api/v1/ping", null).status() == 200) {
                        return this;
                    }
                } catch (RuntimeException e) {
                    // not yet
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the daemon did not answer within 30 s:\n" + Files.readString(log()));
    }

    /** SIGKILL: the daemon gets no chance to clean up. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    public JsonNode get(String path) {
        var r = client().call("GET", path, null);
        if (!r.ok()) {
            throw new AssertionError("GET " + path + " -> " + r.status() + " " + r.text());
        }
        return Json.tree(r.text());
    }

    public ApiClient.Response post(String path, String json) {
        return client().call("POST", path, json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8));
    }

    /** Posts, expects a task, waits for it, and returns the finished task. */
    public JsonNode task(String path, String json) {
        var r = post(path, json);
        if (r.status() != 202) {
            throw new AssertionError("POST " + path + " -> " + r.status() + " " + r.text());
        }
        String id = Json.tree(r.text()).path("id").asText();
        for (int i = 0; i < 600; i++) {
            JsonNode t = get("/api/v1/tasks/" + id + "/wait?timeout=5");
            if (t.path("state").asText().matches("succeeded|failed|cancelled")) {
                return t;
            }
        }
        throw new AssertionError("task " + id + " did not end");
    }

    public JsonNode okTask(String path, String json) {
        JsonNode t = task(path, json);
        if (!t.path("state").asText().equals("succeeded")) {
            throw new AssertionError("task " + path + " " + t.path("state").asText() + ": " + t.path("error"));
        }
        return t;
    }

    /** Waits until the task's progress and message say it is in the phase wanted, then SIGKILLs the daemon and starts it again. */
    public void killWhen(String taskId, java.util.function.Predicate<JsonNode> phase) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode t = get("/api/v1/tasks/" + taskId);
            if (t.path("state").asText().matches("succeeded|failed|cancelled")) {
                throw new AssertionError("the task ended before the kill: " + t);
            }
            if (phase.test(t)) {
                kill9();
                start();
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("task " + taskId + " never reached the phase");
    }

    public JsonNode instance(String name) {
        return get("/api/v1/instances/" + name);
    }

    /** Every runc container of this daemon's runtime root. */
    public List<String> containers() throws IOException {
        var r = new dev.vessel.host.ProcessRunner()
                .exec(
                        List.of("runc", "--root", runDir().resolve("runc").toString(), "list", "-q"),
                        Duration.ofSeconds(10),
                        null,
                        null);
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            stop();
        }
        for (String c : containers()) {
            new dev.vessel.host.ProcessRunner()
                    .exec(
                            List.of("runc", "--root", runDir().resolve("runc").toString(), "delete", "--force", c),
                            Duration.ofSeconds(10),
                            null,
                            null);
        }
        // Containers left running keep their writable layer's overlay mounted under the data dir: deepest first.
        var mounts = new java.util.ArrayList<String>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4];
            if (point.startsWith(base + "/")) {
                mounts.add(point);
            }
        }
        mounts.sort(java.util.Comparator.reverseOrder());
        for (String m : mounts) {
            new dev.vessel.host.ProcessRunner()
                    .exec(List.of("umount", "--lazy", m), Duration.ofSeconds(10), null, null);
        }
        AtomicFiles.deleteTree(base);
    }
}
