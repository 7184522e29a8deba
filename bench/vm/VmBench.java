import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.host.Json;
import dev.vessel.http.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The VM core's benchmarks, each beside its raw peer in the same run:
 * start-to-ready through the CLI and through the API vs a raw `runc run` of the same QEMU bundle;
 * the daemon's idle RSS with 50 stopped and 10 running VMs; what the daemon adds per running VM.
 * Args: SOCKET DAEMON_PID REPO RESULTS_JSON WORKDIR
 */
public class VmBench {
    static ApiClient api;
    static Path repo;
    static String socket;
    static final int N = Integer.getInteger("runs", 10);

    public static void main(String[] a) throws Exception {
        socket = a[0];
        long daemonPid = Long.parseLong(a[1]);
        repo = Path.of(a[2]);
        Path out = Path.of(a[3]);
        Path work = Path.of(a[4]);
        api = ApiClient.unix(Path.of(socket));
        task("POST", "/api/v1/images/build-tiny", null);
        ObjectNode results = Json.MAPPER.createObjectNode();
        results.set("start", startOverhead(work));
        results.set("memory", memory(daemonPid));
        Files.writeString(out, Json.pretty(results) + "\n");
        table(results);
    }

    /** The Markdown table bench/run puts into docs/benchmarks.md. */
    static void table(JsonNode r) {
        JsonNode s = r.path("start");
        JsonNode m = r.path("memory");
        System.out.println("| benchmark | vessel | raw peer | ratio / target |");
        System.out.println("| --- | --- | --- | --- |");
        System.out.printf(java.util.Locale.ROOT,
                "| start to ready marker via the API, tiny guest, 128 MiB (median of %d; min-max) | %.0f ms (%.0f-%.0f) | `runc run` of the same bundle %.0f ms (%.0f-%.0f) | +%.1f ms, %.3fx (target <= +30 ms) |%n",
                s.path("runs").asInt(), med(s, "apiStartWaitMs"), lo(s, "apiStartWaitMs"), hi(s, "apiStartWaitMs"),
                med(s, "rawRuncMs"), lo(s, "rawRuncMs"), hi(s, "rawRuncMs"), s.path("apiOverheadMs").asDouble(), s.path("apiRatio").asDouble());
        System.out.printf(java.util.Locale.ROOT,
                "| `vessel vm start --wait` (CLI: the thin client, run by the daemon) | %.0f ms (%.0f-%.0f) | same raw peer | +%.0f ms, %.2fx (`vessel version` alone: %.0f ms) |%n",
                med(s, "cliStartWaitMs"), lo(s, "cliStartWaitMs"), hi(s, "cliStartWaitMs"), s.path("cliOverheadMs").asDouble(),
                s.path("cliRatio").asDouble(), med(s, "cliVersionMs"));
        System.out.printf(java.util.Locale.ROOT,
                "| daemon RSS, idle: no VMs / 50 stopped / 50 stopped + 10 running | %.0f / %.0f / %.0f MiB | - | target <= 150 MiB |%n",
                m.path("idleEmptyRssMiB").asDouble(), m.path("fiftyStoppedRssMiB").asDouble(), m.path("fiftyStoppedTenRunningRssMiB").asDouble());
        System.out.printf(java.util.Locale.ROOT,
                "| memory the daemon adds per running VM; processes per VM besides QEMU | %.2f MiB; %d | QEMU's own RSS %.0f MiB per VM | target <= 2 MiB |%n",
                m.path("perRunningVmMiB").asDouble(), m.path("processesBesidesQemu").asInt(), m.path("meanQemuRssMiB").asDouble());
    }

    static double med(JsonNode s, String k) {
        return s.path(k).path("median").asDouble();
    }

    static double lo(JsonNode s, String k) {
        return s.path(k).path("min").asDouble();
    }

    static double hi(JsonNode s, String k) {
        return s.path(k).path("max").asDouble();
    }

    // ---- start overhead -------------------------------------------------------------------------------------

    static JsonNode startOverhead(Path work) throws Exception {
        create("bstart", "128M");
        task("POST", "/api/v1/instances/bstart/start?wait=true", null); // warm-up, and makes the bundle
        JsonNode vm = get("/api/v1/instances/bstart");
        String id = vm.path("id").asText();
        task("POST", "/api/v1/instances/bstart/kill", null);
        Path raw = rawBundle(work, id);
        var cli = new ArrayList<Double>();
        var viaApi = new ArrayList<Double>();
        var runc = new ArrayList<Double>();
        var jvm = new ArrayList<Double>();
        for (int i = 0; i < N; i++) {
            long t0 = System.nanoTime();
            run(List.of(repo.resolve("bin/vessel").toString(), "vm", "start", "bstart", "--wait"));
            cli.add(ms(t0));
            task("POST", "/api/v1/instances/bstart/kill", null);

            t0 = System.nanoTime();
            task("POST", "/api/v1/instances/bstart/start?wait=true", null);
            viaApi.add(ms(t0));
            task("POST", "/api/v1/instances/bstart/kill", null);

            runc.add(rawStart(work, raw));

            t0 = System.nanoTime();
            run(List.of(repo.resolve("bin/vessel").toString(), "version"));
            jvm.add(ms(t0));
        }
        task("DELETE", "/api/v1/instances/bstart", null);
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("runs", N);
        r.set("cliStartWaitMs", stats(cli));
        r.set("apiStartWaitMs", stats(viaApi));
        r.set("rawRuncMs", stats(runc));
        r.set("cliVersionMs", stats(jvm));
        r.put("apiOverheadMs", median(viaApi) - median(runc));
        r.put("cliOverheadMs", median(cli) - median(runc));
        r.put("apiRatio", median(viaApi) / median(runc));
        r.put("cliRatio", median(cli) / median(runc));
        return r;
    }

    /** Vessel's own bundle for the VM, moved to private dirs, QEMU not paused (-S) since nobody resumes it over QMP. */
    static Path rawBundle(Path work, String id) throws Exception {
        Path data = Path.of(get("/api/v1/host").path("dataDir").asText());
        Path stateDir = data.resolve("instances").resolve(id);
        JsonNode cfg = Json.MAPPER.readTree(Files.readString(stateDir.resolve("bundle/config.json")));
        String runDir = find(cfg, "qmp.sock").replaceAll(".*path=([^,]*)/qmp.sock.*", "$1");
        Path rawState = work.resolve("raw/state");
        Path rawRun = work.resolve("raw/run");
        Files.createDirectories(rawState);
        Files.createDirectories(rawRun);
        String text = cfg.toString().replace(stateDir.toString(), rawState.toString()).replace(runDir, rawRun.toString())
                .replace("\"/vessel/vessel-" + id + "\"", "\"/vessel-bench/raw\"");
        ObjectNode raw = (ObjectNode) Json.MAPPER.readTree(text);
        ArrayNode args = (ArrayNode) raw.path("process").path("args");
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).asText().equals("-S")) {
                args.remove(i);
            }
        }
        Path bundle = rawState.resolve("bundle");
        Path rootfs = bundle.resolve("rootfs");
        for (String d : List.of("usr", "proc", "dev", "sys", "tmp", "etc")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        for (String l : List.of("bin", "sbin", "lib", "lib64")) {
            Files.createSymbolicLink(rootfs.resolve(l), Path.of("usr/" + l));
        }
        ((ObjectNode) raw.path("root")).put("path", rootfs.toString());
        Files.writeString(bundle.resolve("config.json"), Json.pretty(raw));
        return bundle;
    }

    static String find(JsonNode cfg, String needle) {
        for (JsonNode a : cfg.path("process").path("args")) {
            if (a.asText().contains(needle)) {
                return a.asText();
            }
        }
        throw new IllegalStateException(needle + " not in the QEMU argv");
    }

    static double rawStart(Path work, Path bundle) throws Exception {
        Path log = work.resolve("raw/state/serial.log");
        Files.deleteIfExists(log);
        String root = work.resolve("raw/runc").toString();
        long t0 = System.nanoTime();
        var p = new ProcessBuilder("runc", "--root", root, "run", "--detach", "--bundle", bundle.toString(), "bench-raw")
                .redirectErrorStream(true).redirectOutput(work.resolve("raw/runc.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("raw runc run failed: " + Files.readString(work.resolve("raw/runc.log")));
        }
        while (!(Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains("VESSEL-READY"))) {
            if (ms(t0) > 120_000) {
                throw new IllegalStateException("the raw QEMU never printed VESSEL-READY");
            }
            Thread.sleep(5);
        }
        double t = ms(t0);
        run(List.of("runc", "--root", root, "delete", "--force", "bench-raw"));
        return t;
    }

    // ---- memory ---------------------------------------------------------------------------------------------

    static JsonNode memory(long daemonPid) throws Exception {
        ObjectNode r = Json.MAPPER.createObjectNode();
        settle();
        r.put("idleEmptyRssMiB", rssMiB(daemonPid));
        for (int i = 0; i < 50; i++) {
            create("idle" + i, "128M");
        }
        settle();
        r.put("fiftyStoppedRssMiB", rssMiB(daemonPid));
        for (int i = 0; i < 10; i++) {
            create("run" + i, "128M");
            task("POST", "/api/v1/instances/run" + i + "/start?wait=true", null);
        }
        settle();
        double with = rssMiB(daemonPid);
        r.put("fiftyStoppedTenRunningRssMiB", with);
        r.put("perRunningVmMiB", (with - r.path("fiftyStoppedRssMiB").asDouble()) / 10);
        // Besides QEMU, nothing runs for a VM: count the processes in each VM's cgroup.
        int extra = 0;
        long qemuRssKiB = 0;
        for (int i = 0; i < 10; i++) {
            JsonNode vm = get("/api/v1/instances/run" + i);
            String cg = "/sys/fs/cgroup/pids/vessel/" + vm.path("runtime").path("containerId").asText() + "/cgroup.procs";
            List<String> procs = Files.exists(Path.of(cg)) ? Files.readAllLines(Path.of(cg)) : List.of();
            extra += Math.max(0, procs.size() - 1);
            qemuRssKiB += vm.path("memory").path("processRss").asLong() / 1024;
        }
        r.put("processesBesidesQemu", extra);
        r.put("meanQemuRssMiB", qemuRssKiB / 10.0 / 1024);
        for (int i = 0; i < 10; i++) {
            task("POST", "/api/v1/instances/run" + i + "/kill", null);
        }
        for (int i = 0; i < 10; i++) {
            task("DELETE", "/api/v1/instances/run" + i, null);
        }
        for (int i = 0; i < 50; i++) {
            task("DELETE", "/api/v1/instances/idle" + i, null);
        }
        return r;
    }

    /** Let the JVM settle; a daemon's RSS right after work includes garbage not yet collected. */
    static void settle() throws Exception {
        Thread.sleep(5000);
    }

    static double rssMiB(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static void create(String name, String memory) {
        var r = api.call("POST", "/api/v1/vms", ("{\"name\":\"" + name + "\",\"image\":\"tiny\",\"memory\":\"" + memory + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        if (r.status() != 201) {
            throw new IllegalStateException("create " + name + ": " + r.text());
        }
    }

    static JsonNode get(String path) {
        return Json.tree(api.call("GET", path, null).text());
    }

    /** A call that may answer with a task; waits for it to succeed. */
    static void task(String method, String path, String body) throws Exception {
        var r = api.call(method, path, body == null ? (method.equals("POST") ? new byte[0] : null) : body.getBytes(StandardCharsets.UTF_8));
        if (r.status() == 204 || r.status() == 200 || r.status() == 201) {
            return;
        }
        if (r.status() != 202) {
            throw new IllegalStateException(method + " " + path + ": " + r.text());
        }
        String id = Json.tree(r.text()).path("id").asText();
        while (true) {
            JsonNode t = get("/api/v1/tasks/" + id + "/wait?timeout=30");
            String s = t.path("state").asText();
            if (s.equals("succeeded")) {
                return;
            }
            if (s.equals("failed") || s.equals("cancelled")) {
                throw new IllegalStateException(method + " " + path + ": " + t.path("error"));
            }
        }
    }

    static void run(List<String> argv) throws Exception {
        var pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("VESSEL_HOST", "unix://" + socket);
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed");
        }
    }

    static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    static double median(List<Double> xs) {
        var s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static JsonNode stats(List<Double> xs) {
        var s = new ArrayList<>(xs);
        Collections.sort(s);
        return Json.MAPPER.valueToTree(Map.of("median", median(xs), "min", s.getFirst(), "max", s.getLast(), "n", s.size()));
    }
}
