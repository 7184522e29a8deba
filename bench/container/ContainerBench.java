import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.host.Json;
import dev.vessel.http.ApiClient;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Container benchmarks, each beside its peers in the same run: start-to-exit of a container running /bin/true through
 * Vessel's API and CLI, a raw `runc run` of the same bundle, and `docker run --rm` of the same image; then throughput,
 * 100 containers started and removed in sequence and 2 at a time.
 * Args: SOCKET REPO RESULTS_JSON WORKDIR DOCKER_HOST|none
 */
public class ContainerBench {
    static ApiClient api;
    static Path repo;
    static Path work;
    static String socket;
    static final int N = Integer.getInteger("runs", 20);
    static final int THROUGHPUT = Integer.getInteger("throughput", 100);
    static final String IMAGE = "bench/busybox:1";
    /** Debian's docker.io CLI, the daemon's own version (another docker CLI may come first in PATH). */
    static final String DOCKER = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";

    public static void main(String[] a) throws Exception {
        socket = a[0];
        repo = Path.of(a[1]);
        Path out = Path.of(a[2]);
        work = Path.of(a[3]);
        String docker = a[4];
        api = ApiClient.unix(Path.of(socket));
        Path save = dockerSave(work.resolve("busybox-save.tar"));
        task("/api/v1/oci-images/load", "{\"path\":\"" + save + "\"}");
        if (!docker.equals("none")) {
            run(List.of(DOCKER, "-H", docker, "load", "-i", save.toString()));
        }
        Path raw = rawBundle();
        ObjectNode results = Json.MAPPER.createObjectNode();
        results.set("startToExit", startToExit(raw, docker));
        results.set("throughput", throughput());
        Files.writeString(out, Json.pretty(results) + "\n");
        table(results);
    }

    // ---- start to exit -------------------------------------------------------------------------------------

    static JsonNode startToExit(Path raw, String docker) throws Exception {
        var apiMs = new ArrayList<Double>();
        var apiStartMs = new ArrayList<Double>();
        var apiRemovedMs = new ArrayList<Double>();
        var cliMs = new ArrayList<Double>();
        var jvmCliMs = new ArrayList<Double>();
        var jvmVersionMs = new ArrayList<Double>();
        var runcMs = new ArrayList<Double>();
        var dockerMs = new ArrayList<Double>();
        var versionMs = new ArrayList<Double>();
        for (int i = -2; i < N; i++) { // two warm-up rounds
            boolean keep = i >= 0;
            // Interleaved, so that machine noise hits every contender alike.
            // Each contender after a settle pause: the previous one's clean-up (a --rm removal, docker's vfs copy
            // going away) must not land on the next one's time.
            settle();
            double[] ap = apiRunRm("api" + (i + 2));
            var runRm = List.of(repo.resolve("bin/vessel").toString(), "-H", "unix://" + socket, "run", "--rm", "--network", "none", IMAGE, "/bin/true");
            settle();
            double cl = time(runRm);
            settle();
            double jcl = time(runRm, Map.of("VESSEL_JVM", "1"));
            settle();
            double rc = time(List.of("runc", "--root", work.resolve("raw-runc").toString(), "run", "--bundle", raw.toString(), "raw" + (i + 2)));
            settle();
            double dk = docker.equals("none") ? Double.NaN
                    : time(List.of(DOCKER, "-H", docker, "run", "--rm", "--network", "none", IMAGE, "/bin/true"));
            var version = List.of(repo.resolve("bin/vessel").toString(), "-H", "unix://" + socket, "version");
            settle();
            double vs = time(version);
            double jvs = time(version, Map.of("VESSEL_JVM", "1"));
            if (keep) {
                apiMs.add(ap[0]);
                apiStartMs.add(ap[1]);
                apiRemovedMs.add(ap[2]);
                cliMs.add(cl);
                jvmCliMs.add(jcl);
                jvmVersionMs.add(jvs);
                runcMs.add(rc);
                dockerMs.add(dk);
                versionMs.add(vs);
            }
        }
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("runs", N);
        r.set("apiMs", stats(apiMs));
        r.set("apiStartToExitMs", stats(apiStartMs));
        r.set("apiUntilRemovedMs", stats(apiRemovedMs));
        r.set("cliMs", stats(cliMs));
        r.set("jvmCliMs", stats(jvmCliMs));
        r.set("jvmCliVersionMs", stats(jvmVersionMs));
        r.set("rawRuncMs", stats(runcMs));
        if (!docker.equals("none")) {
            r.set("dockerCliMs", stats(dockerMs));
        }
        r.set("cliVersionMs", stats(versionMs));
        return r;
    }

    /**
     * What `vessel run --rm IMAGE /bin/true` asks of the daemon: create, wait (registered first), start, the exit.
     * Returns {create to exit, start to exit, create to removed} in ms.
     */
    static double[] apiRunRm(String name) throws Exception {
        long t0 = System.nanoTime();
        call("POST", "/api/v1/containers", "{\"name\":\"" + name + "\",\"image\":\"" + IMAGE + "\",\"autoRemove\":true,\"network\":\"none\","
                + "\"command\":[\"/bin/true\"]}", 201);
        double exit;
        double fromStart;
        try (var s = api.stream("GET", "/api/v1/instances/" + name + "/wait?next=true")) {
            var lines = new BufferedReader(new InputStreamReader(s.body(), StandardCharsets.UTF_8));
            lines.readLine(); // {"status":"waiting"}
            long t1 = System.nanoTime();
            call("POST", "/api/v1/instances/" + name + "/start", null, 202);
            String end = lines.readLine();
            long t2 = System.nanoTime();
            exit = (t2 - t0) / 1e6;
            fromStart = (t2 - t1) / 1e6;
            if (!end.contains("\"exitCode\":0")) {
                throw new IllegalStateException(name + " ended with " + end);
            }
        }
        while (api.call("GET", "/api/v1/instances/" + name, null).status() != 404) {
            Thread.sleep(1);
        }
        return new double[] {exit, fromStart, (System.nanoTime() - t0) / 1e6};
    }

    /** The bundle Vessel wrote for a container of the image, with its own root: the same config.json, run by hand. */
    static Path rawBundle() throws Exception {
        JsonNode c = call("POST", "/api/v1/containers", "{\"name\":\"rawsrc\",\"image\":\"" + IMAGE + "\",\"network\":\"none\","
                + "\"command\":[\"/bin/true\"]}", 201);
        call("POST", "/api/v1/instances/rawsrc/start", null, 202);
        Thread.sleep(1000);
        Path dataDir = Path.of(Json.tree(api.call("GET", "/api/v1/host", null).text()).path("dataDir").asText());
        Path state = dataDir.resolve("instances").resolve(c.path("id").asText());
        Path bundle = Files.createDirectories(work.resolve("raw-bundle"));
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        // The image's layers under an overlay of its own, as Vessel mounts them (kept mounted: raw runc does no mounting).
        List<String> layers = new ArrayList<>();
        try (var dirs = Files.list(dataDir.resolve("oci/layers"))) {
            dirs.forEach(p -> layers.add(p.toString()));
        }
        Files.createDirectories(work.resolve("raw-upper"));
        Files.createDirectories(work.resolve("raw-work"));
        run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + String.join(":", layers) + ",upperdir=" + work.resolve("raw-upper")
                + ",workdir=" + work.resolve("raw-work"), rootfs.toString()));
        ObjectNode config = (ObjectNode) Json.tree(Files.readString(state.resolve("bundle/config.json")));
        ((ObjectNode) config.path("root")).put("path", rootfs.toString());
        // No cgroupsPath: runc then makes a cgroup named after each run's container and removes it, as Vessel's do.
        ((ObjectNode) config.path("linux")).remove("cgroupsPath");
        Files.writeString(bundle.resolve("config.json"), Json.pretty(config));
        return bundle;
    }

    // ---- throughput ----------------------------------------------------------------------------------------

    static JsonNode throughput() throws Exception {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("containers", THROUGHPUT);
        for (int workers : new int[] {1, 2}) {
            long t0 = System.nanoTime();
            try (var pool = Executors.newFixedThreadPool(workers)) {
                var futures = new ArrayList<Future<?>>();
                for (int w = 0; w < workers; w++) {
                    int id = w;
                    futures.add(pool.submit(() -> {
                        for (int i = id; i < THROUGHPUT; i += workers) {
                            startAndRemove("t" + workers + "x" + i);
                        }
                        return null;
                    }));
                }
                for (var f : futures) {
                    f.get();
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            ObjectNode one = r.putObject(workers == 1 ? "sequential" : "twoAtATime");
            one.put("seconds", s);
            one.put("perSecond", THROUGHPUT / s);
            one.put("msEach", s * 1000 / THROUGHPUT);
        }
        return r;
    }

    /** Create, start, wait for the exit, remove: a container's whole life through the API. */
    static void startAndRemove(String name) throws Exception {
        call("POST", "/api/v1/containers", "{\"name\":\"" + name + "\",\"image\":\"" + IMAGE + "\",\"network\":\"none\",\"command\":[\"/bin/true\"]}", 201);
        try (var s = api.stream("GET", "/api/v1/instances/" + name + "/wait?next=true")) {
            var lines = new BufferedReader(new InputStreamReader(s.body(), StandardCharsets.UTF_8));
            lines.readLine();
            call("POST", "/api/v1/instances/" + name + "/start", null, 202);
            lines.readLine();
        }
        call("DELETE", "/api/v1/instances/" + name, null, 204);
    }

    // ---- the image: busybox-static, as a docker save archive both Vessel and Docker load --------------------

    static Path dockerSave(Path file) throws Exception {
        byte[] layer = rootfsTar();
        String diffId = "sha256:" + sha(layer);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2025-01-01T00:00:00Z\",\"config\":{\"Env\":[\"PATH=/bin:/usr/bin:/sbin:/usr/sbin\"],"
                + "\"Cmd\":[\"sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
        byte[] cfg = config.getBytes(StandardCharsets.UTF_8);
        String cfgName = sha(cfg) + ".json";
        String id = sha("layer-0".getBytes(StandardCharsets.UTF_8));
        var bout = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(bout)) {
            put(tar, id + "/layer.tar", layer, 0644);
            put(tar, cfgName, cfg, 0644);
            put(tar, "manifest.json", ("[{\"Config\":\"" + cfgName + "\",\"RepoTags\":[\"" + IMAGE + "\"],\"Layers\":[\"" + id + "/layer.tar\"]}]")
                    .getBytes(StandardCharsets.UTF_8), 0644);
        }
        Files.write(file, bout.toByteArray());
        return file;
    }

    static byte[] rootfsTar() throws Exception {
        var bout = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(bout)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String d : List.of("bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "tmp", "proc", "sys", "dev")) {
                var e = new TarArchiveEntry(d + "/");
                e.setMode(040755);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            put(tar, "bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")), 0755);
            put(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0644);
            var p = new ProcessBuilder("/bin/busybox", "--list-full").start();
            for (String applet : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (!applet.isBlank() && !applet.equals("bin/busybox")) {
                    var e = new TarArchiveEntry(applet, TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName("/bin/busybox");
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                }
            }
        }
        return bout.toByteArray();
    }

    static void put(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws Exception {
        var e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    static JsonNode call(String method, String path, String json, int expected) {
        var r = api.call(method, path, json == null ? (method.equals("POST") ? new byte[0] : null) : json.getBytes(StandardCharsets.UTF_8));
        if (r.status() != expected) {
            throw new IllegalStateException(method + " " + path + " -> " + r.status() + " " + r.text());
        }
        return r.body().length == 0 ? Json.MAPPER.nullNode() : Json.tree(r.text());
    }

    static JsonNode task(String path, String json) throws Exception {
        String id = call("POST", path, json, 202).path("id").asText();
        while (true) {
            JsonNode t = Json.tree(api.call("GET", "/api/v1/tasks/" + id + "/wait?timeout=30", null).text());
            if (t.path("state").asText().matches("succeeded|failed|cancelled")) {
                if (!t.path("state").asText().equals("succeeded")) {
                    throw new IllegalStateException(path + ": " + t);
                }
                return t;
            }
        }
    }

    static void settle() throws InterruptedException {
        Thread.sleep(300);
    }

    static double time(List<String> argv) throws Exception {
        return time(argv, Map.of());
    }

    static double time(List<String> argv, Map<String, String> env) throws Exception {
        long t0 = System.nanoTime();
        run(argv, env);
        return (System.nanoTime() - t0) / 1e6;
    }

    static void run(List<String> argv) throws Exception {
        run(argv, Map.of());
    }

    static void run(List<String> argv, Map<String, String> env) throws Exception {
        var pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        var p = pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
    }

    static ObjectNode stats(List<Double> xs) {
        var s = new ArrayList<>(xs);
        Collections.sort(s);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("median", s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2);
        o.put("min", s.getFirst());
        o.put("max", s.getLast());
        ArrayNode all = o.putArray("all");
        xs.forEach(all::add);
        return o;
    }

    static double med(JsonNode s, String k) {
        return s.path(k).path("median").asDouble();
    }

    static String range(JsonNode s, String k) {
        return String.format(java.util.Locale.ROOT, "%.0f ms (%.0f-%.0f)", med(s, k), s.path(k).path("min").asDouble(), s.path(k).path("max").asDouble());
    }

    /** The Markdown table bench/run puts into docs/benchmarks.md. */
    static void table(JsonNode r) {
        JsonNode s = r.path("startToExit");
        JsonNode t = r.path("throughput");
        double runc = med(s, "rawRuncMs");
        System.out.println("| benchmark | vessel | peer | ratio / target |");
        System.out.println("| --- | --- | --- | --- |");
        System.out.printf(java.util.Locale.ROOT, "| start to exit, `/bin/true`, via the API (create, wait, start, exit; median of %d; min-max) | %s | `runc run` of the same bundle %s | %.2fx runc (target <= 1.2x); %.1fx faster than docker (target >= 4x) |%n",
                s.path("runs").asInt(), range(s, "apiMs"), range(s, "rawRuncMs"), med(s, "apiMs") / runc,
                s.has("dockerCliMs") ? med(s, "dockerCliMs") / med(s, "apiMs") : Double.NaN);
        System.out.printf(java.util.Locale.ROOT, "| the same, from the start request only (the container exists) | %s | same peer | %.2fx runc |%n",
                range(s, "apiStartToExitMs"), med(s, "apiStartToExitMs") / runc);
        System.out.printf(java.util.Locale.ROOT, "| the same, until `--rm` removed it (runc's peer also deletes its container) | %s | same peer | %.2fx runc |%n",
                range(s, "apiUntilRemovedMs"), med(s, "apiUntilRemovedMs") / runc);
        for (String k : List.of("cliMs", "jvmCliMs")) {
            String what = k.equals("cliMs") ? "`vessel run --rm IMAGE /bin/true` (the CLI: thin client, run by the daemon)"
                    : "the same with `VESSEL_JVM=1` (the CLI in a JVM of its own)";
            if (s.has("dockerCliMs")) {
                System.out.printf(java.util.Locale.ROOT, "| %s | %s | `docker run --rm` %s | %.2fx runc (target <= 1.2x); %.1fx faster than docker (target >= 4x) |%n",
                        what, range(s, k), range(s, "dockerCliMs"), med(s, k) / runc, med(s, "dockerCliMs") / med(s, k));
            } else {
                System.out.printf(java.util.Locale.ROOT, "| %s | %s | (docker not measured) | %.2fx runc |%n", what, range(s, k), med(s, k) / runc);
            }
        }
        System.out.printf(java.util.Locale.ROOT, "| `vessel version` (one API call): thin client / JVM CLI | %s / %s | - | - |%n", range(s, "cliVersionMs"),
                range(s, "jvmCliVersionMs"));
        System.out.printf(java.util.Locale.ROOT, "| throughput: %d containers created, started, ended and removed in sequence | %.1f s, %.1f/s (%.0f ms each) | - | - |%n",
                t.path("containers").asInt(), t.path("sequential").path("seconds").asDouble(), t.path("sequential").path("perSecond").asDouble(),
                t.path("sequential").path("msEach").asDouble());
        System.out.printf(java.util.Locale.ROOT, "| throughput: the same, 2 at a time | %.1f s, %.1f/s | - | %.2fx the sequential rate |%n",
                t.path("twoAtATime").path("seconds").asDouble(), t.path("twoAtATime").path("perSecond").asDouble(),
                t.path("twoAtATime").path("perSecond").asDouble() / t.path("sequential").path("perSecond").asDouble());
    }
}
