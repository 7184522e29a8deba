import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.host.Json;
import dev.vessel.http.ApiClient;
import dev.vessel.qemu.image.FsTree;
import dev.vessel.qemu.image.NewcArchive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * bench/vm-platform: start to the UEFI shell vs raw QEMU with the same argv; swtpm's memory and processes per VM; the
 * freeze window of a live snapshot with the guest agent vs one without. Args: SOCKET WORKDIR RESULTS_JSON
 */
public class PlatformBench {
    static ApiClient api;
    static Path data;
    static final int N = Integer.getInteger("runs", 5);

    public static void main(String[] a) throws Exception {
        api = ApiClient.unix(Path.of(a[0]));
        Path work = Path.of(a[1]);
        data = work.resolve("data");
        task("POST", "/api/v1/images/build-tiny", null);
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.set("uefiShell", uefiShell(work));
        r.set("swtpm", swtpm());
        r.set("freeze", freeze(work));
        Files.writeString(Path.of(a[2]), Json.pretty(r) + "\n");
        table(r);
    }

    static void table(JsonNode r) {
        JsonNode u = r.path("uefiShell");
        JsonNode t = r.path("swtpm");
        JsonNode f = r.path("freeze");
        System.out.println("| benchmark | vessel | raw peer | ratio |");
        System.out.println("| --- | --- | --- | --- |");
        System.out.printf(Locale.ROOT,
                "| start to the UEFI shell prompt, OVMF 4M, TCG (median of %d; min-max) | %.0f ms (%.0f-%.0f) | raw QEMU, same argv and firmware, no container: %.0f ms (%.0f-%.0f) | %.3fx (+%.0f ms) |%n",
                u.path("runs").asInt(), med(u, "vesselMs"), lo(u, "vesselMs"), hi(u, "vesselMs"),
                med(u, "rawQemuMs"), lo(u, "rawQemuMs"), hi(u, "rawQemuMs"),
                med(u, "vesselMs") / med(u, "rawQemuMs"), med(u, "vesselMs") - med(u, "rawQemuMs"));
        System.out.printf(Locale.ROOT,
                "| what swtpm adds to a VM: RSS / PSS; processes in the VM's container | %.1f MiB / %.1f MiB; %d (QEMU and swtpm) | the same VM without a TPM: %d process (QEMU) | +%.1f MiB cgroup memory |%n",
                t.path("swtpmRssMiB").asDouble(), t.path("swtpmPssMiB").asDouble(), t.path("processesWithTpm").asInt(),
                t.path("processesWithout").asInt(), t.path("cgroupDeltaMiB").asDouble());
        System.out.printf(Locale.ROOT,
                "| live disk-only snapshot with the guest agent's fs-freeze: file systems frozen for (median of %d; min-max) | %.1f ms (%.1f-%.1f), vCPUs paused %.1f ms | the same snapshot without an agent: paused %.1f ms, nothing frozen | freeze adds %.1f ms to the task |%n",
                f.path("runs").asInt(), med(f, "freezeMs"), lo(f, "freezeMs"), hi(f, "freezeMs"), med(f, "pauseFrozenMs"),
                med(f, "pausePlainMs"), med(f, "taskFrozenMs") - med(f, "taskPlainMs"));
    }

    // ---- start to the UEFI shell ----------------------------------------------------------------------------

    static JsonNode uefiShell(Path work) throws Exception {
        create("{\"name\":\"efi\",\"firmware\":\"uefi\",\"disks\":[{\"size\":\"64M\"}],\"accel\":\"tcg\",\"networks\":[]}");
        String id = get("/api/v1/instances/efi").path("id").asText();
        Path state = data.resolve("instances").resolve(id);
        Path serial = state.resolve("serial.log");
        vesselShell("efi", serial); // warm-up
        JsonNode argv = get("/api/v1/instances/efi").path("runtime").path("command");
        task("POST", "/api/v1/instances/efi/kill", null);
        var vessel = new ArrayList<Double>();
        var raw = new ArrayList<Double>();
        for (int i = 0; i < N; i++) {
            vessel.add(vesselShell("efi", serial));
            task("POST", "/api/v1/instances/efi/kill", null);
            raw.add(rawShell(work, argv, state));
        }
        task("DELETE", "/api/v1/instances/efi", null);
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("runs", N);
        r.set("vesselMs", stats(vessel));
        r.set("rawQemuMs", stats(raw));
        return r;
    }

    /** POST start, then the serial log polled every 5 ms for the shell's prompt. */
    static double vesselShell(String vm, Path serial) throws Exception {
        Files.deleteIfExists(serial);
        long t0 = System.nanoTime();
        var r = api.call("POST", "/api/v1/instances/" + vm + "/start", null);
        if (r.status() != 202) {
            throw new IllegalStateException("start: " + r.text());
        }
        awaitText(serial, "Shell>", t0);
        return ms(t0);
    }

    /** The VM's own argv, its files copied to private dirs, -S removed (nobody resumes it over QMP), run as root. */
    static double rawShell(Path work, JsonNode argv, Path state) throws Exception {
        Path rawState = work.resolve("raw/state");
        Path rawRun = work.resolve("raw/run");
        dev.vessel.host.AtomicFiles.deleteTree(work.resolve("raw"));
        Files.createDirectories(rawState.resolve("disks"));
        Files.createDirectories(rawRun);
        for (String f : List.of("disk0.qcow2", "efivars.qcow2")) {
            Files.copy(state.resolve("disks").resolve(f), rawState.resolve("disks").resolve(f));
        }
        String runDir = null;
        var args = new ArrayList<String>();
        for (JsonNode a : argv) {
            String s = a.asText();
            if (s.contains("qmp.sock") && runDir == null) {
                runDir = s.replaceAll(".*path=([^,]*)/qmp.sock.*", "$1");
            }
        }
        for (JsonNode a : argv) {
            String s = a.asText().replace(state.toString(), rawState.toString()).replace(runDir, rawRun.toString());
            if (!s.equals("-S")) {
                args.add(s);
            }
        }
        Path serial = rawState.resolve("serial.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(work.resolve("raw-qemu.log").toFile()).start();
        try {
            awaitText(serial, "Shell>", t0);
            return ms(t0);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    static void awaitText(Path file, String text, long t0) throws Exception {
        while (!(Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(text))) {
            if (ms(t0) > 180_000) {
                throw new IllegalStateException(file + " never showed " + text);
            }
            Thread.sleep(5);
        }
    }

    // ---- swtpm ----------------------------------------------------------------------------------------------

    static JsonNode swtpm() throws Exception {
        create("{\"name\":\"tpm\",\"firmware\":\"uefi\",\"tpm\":true,\"disks\":[{\"size\":\"64M\"}],\"accel\":\"tcg\",\"networks\":[]}");
        create("{\"name\":\"notpm\",\"firmware\":\"uefi\",\"disks\":[{\"size\":\"64M\"}],\"accel\":\"tcg\",\"networks\":[]}");
        for (String vm : List.of("tpm", "notpm")) {
            task("POST", "/api/v1/instances/" + vm + "/start", null);
            String id = get("/api/v1/instances/" + vm).path("id").asText();
            awaitText(data.resolve("instances").resolve(id).resolve("serial.log"), "Shell>", System.nanoTime());
        }
        Thread.sleep(3000);
        JsonNode with = get("/api/v1/instances/tpm");
        JsonNode without = get("/api/v1/instances/notpm");
        long pid = Long.parseLong(with.path("runtime").path("tpm").asText().replaceAll(".* pid ", ""));
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("swtpmRssMiB", kib(Path.of("/proc/" + pid + "/status"), "VmRSS:") / 1024.0);
        r.put("swtpmPssMiB", kib(Path.of("/proc/" + pid + "/smaps_rollup"), "Pss:") / 1024.0);
        r.put("processesWithTpm", procs(with));
        r.put("processesWithout", procs(without));
        r.put("cgroupDeltaMiB", (cgroupBytes(with) - cgroupBytes(without)) / 1048576.0);
        r.put("swtpmLimitMiB", 24);
        for (String vm : List.of("tpm", "notpm")) {
            task("POST", "/api/v1/instances/" + vm + "/kill", null);
            task("DELETE", "/api/v1/instances/" + vm, null);
        }
        return r;
    }

    static long kib(Path f, String key) throws Exception {
        for (String l : Files.readAllLines(f)) {
            if (l.startsWith(key)) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException(key + " not in " + f);
    }

    static Path cgroup(JsonNode vm) {
        return Path.of("/sys/fs/cgroup/memory/vessel/vessel-" + vm.path("id").asText());
    }

    static int procs(JsonNode vm) throws Exception {
        for (Path base : List.of(Path.of("/sys/fs/cgroup/pids/vessel"), Path.of("/sys/fs/cgroup/vessel"))) {
            Path p = base.resolve("vessel-" + vm.path("id").asText()).resolve("cgroup.procs");
            if (Files.exists(p)) {
                return (int) Files.readAllLines(p).stream().filter(s -> !s.isBlank()).count();
            }
        }
        throw new IllegalStateException("no pids cgroup for " + vm.path("name").asText());
    }

    static long cgroupBytes(JsonNode vm) throws Exception {
        for (Path f : List.of(cgroup(vm).resolve("memory.usage_in_bytes"),
                Path.of("/sys/fs/cgroup/vessel/vessel-" + vm.path("id").asText() + "/memory.current"))) {
            if (Files.exists(f)) {
                return Long.parseLong(Files.readString(f).strip());
            }
        }
        return 0;
    }

    // ---- the freeze window ----------------------------------------------------------------------------------

    static JsonNode freeze(Path work) throws Exception {
        JsonNode tiny = get("/api/v1/images/tiny");
        Path initrd = agentInitrd(Path.of(tiny.path("initrd").asText()), work);
        Path disk = work.resolve("data.img");
        run(List.of("truncate", "-s", "64M", disk.toString()));
        run(List.of("mkfs.ext4", "-q", "-F", disk.toString()));
        create("{\"name\":\"qga\",\"kernel\":\"" + tiny.path("kernel").asText() + "\",\"initrd\":\"" + initrd
                + "\",\"cmdline\":\"" + tiny.path("cmdline").asText() + "\",\"readyMarker\":\""
                + tiny.path("readyMarker").asText() + "\",\"disks\":[{\"path\":\"" + disk
                + "\",\"format\":\"raw\"}],\"accel\":\"tcg\",\"networks\":[]}");
        task("POST", "/api/v1/instances/qga/start?wait=true", null);
        exec("qga", "[\"sh\",\"-c\",\"mkdir -p /data && mount -t ext4 /dev/vda /data\"]");
        var freeze = new ArrayList<Double>();
        var pauseFrozen = new ArrayList<Double>();
        var taskFrozen = new ArrayList<Double>();
        var pausePlain = new ArrayList<Double>();
        var taskPlain = new ArrayList<Double>();
        for (int i = 0; i < N; i++) {
            long t0 = System.nanoTime();
            task("POST", "/api/v1/instances/qga/snapshots", "{\"name\":\"f" + i + "\"}");
            taskFrozen.add(ms(t0));
            JsonNode s = snapshot("qga", "f" + i);
            if (s.path("frozenFileSystems").asInt() < 1) {
                throw new IllegalStateException("nothing was frozen: " + s);
            }
            freeze.add(s.path("freezeMillis").asDouble());
            pauseFrozen.add(s.path("pauseMillis").asDouble());
        }
        // the agent goes away mid-call: its answer never comes, which is the point
        api.call("POST", "/api/v1/instances/qga/guest/exec",
                "{\"command\":[\"sh\",\"-c\",\"kill $(cat /run/qemu-ga.pid)\"],\"timeout\":5}"
                        .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < N; i++) {
            long t0 = System.nanoTime();
            task("POST", "/api/v1/instances/qga/snapshots", "{\"name\":\"p" + i + "\"}");
            taskPlain.add(ms(t0));
            pausePlain.add(snapshot("qga", "p" + i).path("pauseMillis").asDouble());
        }
        task("POST", "/api/v1/instances/qga/kill", null);
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("runs", N);
        r.set("freezeMs", stats(freeze));
        r.set("pauseFrozenMs", stats(pauseFrozen));
        r.set("taskFrozenMs", stats(taskFrozen));
        r.set("pausePlainMs", stats(pausePlain));
        r.set("taskPlainMs", stats(taskPlain));
        return r;
    }

    static JsonNode snapshot(String vm, String name) {
        for (JsonNode s : get("/api/v1/instances/" + vm + "/snapshots").path("snapshots")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new IllegalStateException("no snapshot " + name);
    }

    static void exec(String vm, String command) {
        var r = api.call("POST", "/api/v1/instances/" + vm + "/guest/exec",
                ("{\"command\":" + command + "}").getBytes(StandardCharsets.UTF_8));
        if (r.status() != 200) {
            throw new IllegalStateException("guest exec: " + r.text());
        }
    }

    /** The tiny initrd with Debian's qemu-guest-agent and the libraries it links appended (as the tests make it). */
    static Path agentInitrd(Path tiny, Path work) throws Exception {
        Path debs = Path.of("/var/cache/vessel/test-debs");
        Files.createDirectories(debs);
        Path deb;
        try (var s = Files.list(debs)) {
            deb = s.filter(p -> p.getFileName().toString().startsWith("qemu-guest-agent_")).findFirst().orElse(null);
        }
        if (deb == null) {
            new ProcessBuilder("apt-get", "download", "qemu-guest-agent").directory(debs.toFile()).inheritIO().start().waitFor();
            try (var s = Files.list(debs)) {
                deb = s.filter(p -> p.getFileName().toString().startsWith("qemu-guest-agent_")).findFirst().orElseThrow();
            }
        }
        Path x = work.resolve("qga");
        run(List.of("dpkg-deb", "-x", deb.toString(), x.toString()));
        Path qga = x.resolve("usr/sbin/qemu-ga");
        var tree = new FsTree();
        tree.file("/usr/sbin/qemu-ga", 0755, Files.readAllBytes(qga));
        var lib = Pattern.compile("(/\\S+) \\(0x[0-9a-f]+\\)");
        for (String l : run(List.of("ldd", qga.toString())).lines().toList()) {
            var m = lib.matcher(l);
            if (m.find()) {
                tree.file(m.group(1), 0755, Files.readAllBytes(Path.of(m.group(1)).toRealPath()));
            }
        }
        Path out = work.resolve("initrd-qga.img");
        try (var o = Files.newOutputStream(out)) {
            o.write(Files.readAllBytes(tiny));
            o.write(NewcArchive.writeGzip(tree));
        }
        return out;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static void create(String json) {
        var r = api.call("POST", "/api/v1/vms", json.getBytes(StandardCharsets.UTF_8));
        if (r.status() != 201) {
            throw new IllegalStateException("create: " + r.text());
        }
    }

    static JsonNode get(String path) {
        return Json.tree(api.call("GET", path, null).text());
    }

    static void task(String method, String path, String body) throws Exception {
        var r = api.call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        if (r.status() == 200 || r.status() == 201 || r.status() == 204) {
            return;
        }
        if (r.status() != 202) {
            throw new IllegalStateException(method + " " + path + ": " + r.status() + " " + r.text());
        }
        String id = Json.tree(r.text()).path("id").asText();
        while (true) {
            JsonNode t = get("/api/v1/tasks/" + id + "/wait?timeout=5");
            String st = t.path("state").asText();
            if (st.equals("succeeded")) {
                return;
            }
            if (st.equals("failed") || st.equals("cancelled")) {
                throw new IllegalStateException(method + " " + path + ": " + t.path("error"));
            }
        }
    }

    static String run(List<String> argv) throws Exception {
        var p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + out);
        }
        return out;
    }

    static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
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

    static JsonNode stats(List<Double> xs) {
        var sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        ObjectNode o = Json.MAPPER.createObjectNode();
        int n = sorted.size();
        o.put("median", n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
        o.put("min", sorted.getFirst());
        o.put("max", sorted.getLast());
        var all = o.putArray("all");
        xs.forEach(all::add);
        return o;
    }
}
