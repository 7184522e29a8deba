import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import dev.vessel.http.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Storage benchmarks against a running daemon, each beside its raw peer:
 *
 * <ol>
 *   <li>a linked clone through the API against {@code qemu-img create -b} alone (target: at most 1.5x);
 *   <li>the live-snapshot pause as the guest's output shows it, for a 256 MiB guest (target: at most 50 ms);
 *   <li>backup throughput of a running VM against {@code qemu-img convert} of the same disk.
 * </ol>
 *
 * Usage: java -cp vessel.jar StorageBench.java SOCKET RESULT.json. Prints a Markdown table.
 */
public class StorageBench {
    static ApiClient api;

    public static void main(String[] args) throws Exception {
        api = ApiClient.unix(Path.of(args[0]));
        Path out = Path.of(args[1]);
        if (api.call("GET", "/api/v1/images/tiny-disk", null).status() == 404) {
            task("POST", "/api/v1/images/build-tiny", null);
        }
        var results = new LinkedHashMap<String, Object>();
        results.put("linkedClone", linkedClone(30));
        results.put("snapshotPause", snapshotPause(10));
        results.put("backup", backup());
        Files.writeString(out, Json.pretty(results) + "\n");
        printTable(results);
    }

    // ---- linked clone ------------------------------------------------------------------------------------------

    static Map<String, Object> linkedClone(int n) throws Exception {
        create("bench-tpl", "");
        check(call("POST", "/api/v1/instances/bench-tpl/template", null), 200);
        String base = disk0("bench-tpl");
        var api_ = new ArrayList<Double>();
        var raw = new ArrayList<Double>();
        Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bench-clone-");
        for (int i = -5; i < n; i++) {
            long t0 = System.nanoTime();
            check(call("POST", "/api/v1/instances/bench-tpl/clone", "{\"name\":\"bench-c" + (i + 5) + "\",\"mode\":\"linked\"}"), 201);
            double ms = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            var p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base, tmp.resolve("c" + (i + 5) + ".qcow2").toString())
                    .inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("qemu-img create failed");
            }
            double rawMs = (System.nanoTime() - t0) / 1e6;
            if (i >= 0) { // the first few warm the JIT and the page cache
                api_.add(ms);
                raw.add(rawMs);
            }
        }
        for (int i = 0; i < n + 5; i++) {
            call("DELETE", "/api/v1/instances/bench-c" + i, null);
        }
        call("DELETE", "/api/v1/instances/bench-tpl", null);
        dev.vessel.host.AtomicFiles.deleteTree(tmp);
        var m = new LinkedHashMap<String, Object>();
        m.put("samples", n);
        m.put("apiMedianMs", median(api_));
        m.put("apiP90Ms", pct(api_, 0.9));
        m.put("qemuImgMedianMs", median(raw));
        m.put("qemuImgP90Ms", pct(raw, 0.9));
        m.put("ratio", median(api_) / median(raw));
        return m;
    }

    // ---- snapshot pause ----------------------------------------------------------------------------------------

    /**
     * The guest prints a tick every 2 ms on its serial console; the host stamps each on arrival. During a live
     * disk-only snapshot the longest silence, less the usual gap, is the pause the guest's users see. (The guest's
     * own clocks stop with its vCPUs under TCG, so it cannot time the pause itself.)
     */
    static Map<String, Object> snapshotPause(int n) throws Exception {
        create("bench-pause", "");
        task("POST", "/api/v1/instances/bench-pause/start?wait=true", null);
        var ticks = new CopyOnWriteArrayList<Long>();
        var up = (ApiClient.Upgraded) api.upgrade("/api/v1/instances/bench-pause/console", "vessel-console");
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            byte[] b = new byte[8192];
            try {
                int r;
                while ((r = up.in().read(b)) >= 0) {
                    long now = System.nanoTime();
                    for (int i = 0; i < r; i++) {
                        if (b[i] == '!') {
                            ticks.add(now);
                        }
                    }
                }
            } catch (IOException e) {
                // closed at the end
            }
        });
        up.out().write("\nwhile :; do echo '!'; usleep 2000; done\n".getBytes(StandardCharsets.UTF_8));
        up.out().flush();
        Thread.sleep(3000);
        var windows = new ArrayList<long[]>();
        var reported = new ArrayList<Double>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            JsonNode t = task("POST", "/api/v1/instances/bench-pause/snapshots", "{\"name\":\"p" + i + "\"}");
            windows.add(new long[] {t0, System.nanoTime()});
            JsonNode tree = Json.tree(call("GET", "/api/v1/instances/bench-pause/snapshots", null).text());
            for (JsonNode s : tree.path("snapshots")) {
                if (s.path("name").asText().equals("p" + i)) {
                    reported.add(s.path("pauseMillis").asDouble());
                }
            }
            Thread.sleep(1000);
            if (!t.path("state").asText().equals("succeeded")) {
                throw new IllegalStateException(t.toString());
            }
        }
        long tRam = System.nanoTime();
        task("POST", "/api/v1/instances/bench-pause/snapshots", "{\"name\":\"ram\",\"ram\":true}");
        long tRamEnd = System.nanoTime();
        Thread.sleep(1000);
        up.out().write(new byte[] {3});
        up.out().flush();
        Thread.sleep(300);
        up.close();
        reader.join(2000);
        var list = new ArrayList<>(ticks);
        var baseline = new ArrayList<Double>();
        var seen = new ArrayList<Double>();
        for (int i = 1; i < list.size(); i++) {
            long a = list.get(i - 1);
            long b = list.get(i);
            boolean inside = windows.stream().anyMatch(w -> b >= w[0] && a <= w[1]) || (b >= tRam && a <= tRamEnd);
            if (!inside) {
                baseline.add((b - a) / 1e6);
            }
        }
        double usual = median(baseline);
        for (long[] w : windows) {
            double max = 0;
            for (int i = 1; i < list.size(); i++) {
                long a = list.get(i - 1);
                long b = list.get(i);
                if (b >= w[0] && a <= w[1]) {
                    max = Math.max(max, (b - a) / 1e6);
                }
            }
            seen.add(Math.max(0, max - usual));
        }
        double ramMax = 0;
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i) >= tRam && list.get(i - 1) <= tRamEnd) {
                ramMax = Math.max(ramMax, (list.get(i) - list.get(i - 1)) / 1e6);
            }
        }
        task("POST", "/api/v1/instances/bench-pause/kill", null);
        call("DELETE", "/api/v1/instances/bench-pause", null);
        var m = new LinkedHashMap<String, Object>();
        m.put("samples", n);
        m.put("ticks", list.size());
        m.put("usualGapMs", usual);
        m.put("baselineGapP99Ms", pct(baseline, 0.99));
        m.put("guestSeenPauseMedianMs", median(seen));
        m.put("guestSeenPauseMaxMs", Collections.max(seen));
        m.put("daemonReportedPauseMedianMs", median(reported));
        m.put("daemonReportedPauseMaxMs", Collections.max(reported));
        m.put("withRamGuestSeenPauseMs", Math.max(0, ramMax - usual));
        return m;
    }

    // ---- backup throughput -------------------------------------------------------------------------------------

    static Map<String, Object> backup() throws Exception {
        create("bench-bk", "");
        task("POST", "/api/v1/instances/bench-bk/start?wait=true", null);
        // 256 MiB of random data (incompressible: the worst case for zstd) plus the root file system.
        shell("bench-bk", "for i in 1 2 3 4; do wget -qO- 'http://127.0.0.1/cgi-bin/write?n=65536' >/dev/null; done", 600);
        var live = new ArrayList<Double>();
        long bytes = 0;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            JsonNode t = task("POST", "/api/v1/instances/bench-bk/backup", "{}");
            double s = (System.nanoTime() - t0) / 1e9;
            if (!t.path("state").asText().equals("succeeded")) {
                throw new IllegalStateException(t.toString());
            }
            live.add(s);
        }
        task("POST", "/api/v1/instances/bench-bk/stop", null);
        String disk = disk0("bench-bk");
        Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bench-bk-");
        var convert = new ArrayList<Double>();
        var convertZstd = new ArrayList<Double>();
        for (int i = 0; i < 3; i++) {
            Path target = tmp.resolve("copy" + i + ".qcow2");
            long t0 = System.nanoTime();
            run("qemu-img", "convert", "-O", "qcow2", disk, target.toString());
            convert.add((System.nanoTime() - t0) / 1e9);
            bytes = Files.size(target);
            t0 = System.nanoTime();
            run("zstd", "-q", "-3", "-T0", "-f", target.toString(), "-o", tmp.resolve("copy" + i + ".zst").toString());
            convertZstd.add(convert.getLast() + (System.nanoTime() - t0) / 1e9);
        }
        JsonNode list = Json.tree(call("GET", "/api/v1/backups", null).text());
        long archive = list.get(0).path("sizeBytes").asLong();
        dev.vessel.host.AtomicFiles.deleteTree(tmp);
        call("DELETE", "/api/v1/instances/bench-bk", null);
        var m = new LinkedHashMap<String, Object>();
        m.put("diskBytes", bytes);
        m.put("archiveBytes", archive);
        m.put("liveBackupMedianS", median(live));
        m.put("liveBackupMiBps", bytes / median(live) / (1 << 20));
        m.put("qemuImgConvertMedianS", median(convert));
        m.put("qemuImgConvertMiBps", bytes / median(convert) / (1 << 20));
        m.put("qemuImgConvertPlusZstdMedianS", median(convertZstd));
        m.put("qemuImgConvertPlusZstdMiBps", bytes / median(convertZstd) / (1 << 20));
        return m;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    static void printTable(Map<String, Object> r) {
        @SuppressWarnings("unchecked") var c = (Map<String, Object>) r.get("linkedClone");
        @SuppressWarnings("unchecked") var p = (Map<String, Object>) r.get("snapshotPause");
        @SuppressWarnings("unchecked") var b = (Map<String, Object>) r.get("backup");
        System.out.println("| benchmark | vessel | raw peer | ratio / target |");
        System.out.println("| --- | --- | --- | --- |");
        System.out.printf(Locale.ROOT, "| linked clone (median of %d) | %.1f ms (API round trip) | %.1f ms (`qemu-img create -b`) | %.2fx (target <= 1.5x) |%n",
                c.get("samples"), c.get("apiMedianMs"), c.get("qemuImgMedianMs"), c.get("ratio"));
        System.out.printf(Locale.ROOT, "| live disk-only snapshot, 256 MiB guest: pause seen in the guest's output (median / max of %d) | %.1f / %.1f ms"
                + " (daemon-measured %.1f / %.1f ms) | ticks every %.1f ms (p99 gap %.1f ms) | target <= 50 ms |%n",
                p.get("samples"), p.get("guestSeenPauseMedianMs"), p.get("guestSeenPauseMaxMs"), p.get("daemonReportedPauseMedianMs"),
                p.get("daemonReportedPauseMaxMs"), p.get("usualGapMs"), p.get("baselineGapP99Ms"));
        System.out.printf(Locale.ROOT, "| snapshot with RAM, 256 MiB guest: pause seen | %.0f ms | - | (information) |%n", p.get("withRamGuestSeenPauseMs"));
        System.out.printf(Locale.ROOT, "| backup of a running VM, %s of qcow2 data (random, incompressible) | %.1f MiB/s (%.1f s, archive %s) "
                + "| `qemu-img convert` %.1f MiB/s (%.1f s); + `zstd -3 -T0` %.1f MiB/s | %.2fx of convert alone |%n",
                mib((long) b.get("diskBytes")), b.get("liveBackupMiBps"), b.get("liveBackupMedianS"), mib((long) b.get("archiveBytes")),
                b.get("qemuImgConvertMiBps"), b.get("qemuImgConvertMedianS"), b.get("qemuImgConvertPlusZstdMiBps"),
                (double) b.get("liveBackupMiBps") / (double) b.get("qemuImgConvertMiBps"));
    }

    static String mib(long b) {
        return String.format(Locale.ROOT, "%.0f MiB", b / 1048576.0);
    }

    static void create(String name, String extra) {
        check(call("POST", "/api/v1/vms", "{\"name\":\"" + name + "\",\"image\":\"tiny-disk\",\"memory\":\"256M\",\"accel\":\"tcg\"" + extra + "}"), 201);
    }

    static String disk0(String vm) {
        return Json.tree(call("GET", "/api/v1/instances/" + vm, null).text()).path("spec").path("boot").path("disks").get(0).path("path").asText();
    }

    static ApiClient.Response call(String method, String path, String body) {
        return api.call(method, path, body == null ? (method.equals("POST") ? new byte[0] : null) : body.getBytes(StandardCharsets.UTF_8));
    }

    static void check(ApiClient.Response r, int status) {
        if (r.status() != status) {
            throw new IllegalStateException(r.status() + " " + r.text());
        }
    }

    static JsonNode task(String method, String path, String body) throws InterruptedException {
        var r = call(method, path, body);
        check(r, 202);
        String id = Json.tree(r.text()).path("id").asText();
        while (true) {
            JsonNode t = Json.tree(call("GET", "/api/v1/tasks/" + id + "/wait?timeout=30", null).text());
            if (t.path("state").asText().matches("succeeded|failed|cancelled")) {
                return t;
            }
        }
    }

    /** A command in the guest over its console; returns when it printed its end mark. */
    static void shell(String vm, String cmd, int timeoutSeconds) throws Exception {
        var up = (ApiClient.Upgraded) api.upgrade("/api/v1/instances/" + vm + "/console", "vessel-console");
        try (up) {
            up.out().write(("\n" + cmd + "; echo BENCH-$((6*7))\n").getBytes(StandardCharsets.UTF_8));
            up.out().flush();
            var sb = new StringBuilder();
            byte[] b = new byte[4096];
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            while (!sb.toString().contains("BENCH-42") && System.nanoTime() < deadline) {
                int r = up.in().read(b);
                if (r < 0) {
                    break;
                }
                sb.append(new String(b, 0, r, StandardCharsets.UTF_8));
            }
        }
    }

    static void run(String... argv) throws Exception {
        var p = new ProcessBuilder(argv).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed");
        }
    }

    static double median(List<Double> v) {
        return pct(v, 0.5);
    }

    static double pct(List<Double> v, double q) {
        var s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.floor(q * (s.size() - 1) + 0.5)));
    }
}
