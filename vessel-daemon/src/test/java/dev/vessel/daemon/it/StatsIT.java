package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Stats, ballooning and history against a real guest and a real container: the memory split adds up against /proc and
 * the cgroup's own files, the guest's memory follows a balloon target, counters move, the history fills.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class StatsIT {
    static DaemonProcess daemon;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess().start();
        TinyImageSupport.ensure(daemon);
        work = Files.createTempDirectory(Path.of("/tmp"), "vstats-");
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    static JsonNode awaitStats(String name, Predicate<JsonNode> ok, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            var r = daemon.client().call("GET", "/api/v1/instances/" + name + "/stats", null);
            if (r.status() == 200) {
                last = Json.tree(r.text());
                if (ok.test(last)) {
                    return last;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("stats of " + name + " never satisfied the check within " + max + "; last: " + last);
    }

    static long procKb(long pid, String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError(key + " not in /proc/" + pid + "/status");
    }

    static long cgroupFile(String id, String file) throws Exception {
        return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/memory/vessel/vessel-" + id + "/" + file))
                .strip());
    }

    @Test
    void aVmsMemorySplitAddsUpAndItsGuestFollowsTheBalloon() throws Exception {
        GuestShell.createDiskVm(daemon, "ballooned", "");
        GuestShell.start(daemon, "ballooned");
        JsonNode vm = daemon.instance("ballooned");
        long pid = vm.path("runtime").path("pid").asLong();
        String id = vm.path("id").asText();

        JsonNode s = awaitStats(
                "ballooned", j -> j.path("memory").path("guestTotal").asLong(-1) > 0, Duration.ofSeconds(60));
        JsonNode m = s.path("memory");
        long mib = 1 << 20;
        assertThat(m.path("assigned").asLong()).isEqualTo(256 * mib);
        assertThat(m.path("balloon").asLong())
                .as("no target: the guest has all its RAM")
                .isEqualTo(256 * mib);
        assertThat(m.path("guestTotal").asLong())
                .as("the guest's own MemTotal (kernel reservations aside)")
                .isBetween(150 * mib, 256 * mib);
        assertThat(m.path("guestUsed").asLong())
                .isPositive()
                .isLessThan(m.path("guestTotal").asLong());
        // "used" is what the guest's own free(1) says: total - MemAvailable, which the balloon driver reports as is
        assertThat(m.path("guestAvailable").asLong()).isPositive();
        assertThat(m.path("guestUsed").asLong())
                .isEqualTo(
                        m.path("guestTotal").asLong() - m.path("guestAvailable").asLong());
        String meminfo = GuestShell.run(
                daemon, "ballooned", "grep -E '^(MemTotal|MemAvailable):' /proc/meminfo", Duration.ofSeconds(30));
        long guestTotal = kib(meminfo, "MemTotal");
        long guestAvailable = kib(meminfo, "MemAvailable");
        assertThat(m.path("guestTotal").asLong()).isEqualTo(guestTotal);
        assertThat(m.path("guestUsed").asLong())
                .as("the guest's own used = MemTotal - MemAvailable, within what changes in 4 s")
                .isCloseTo(guestTotal - guestAvailable, org.assertj.core.data.Offset.offset(16 * mib));
        // the split against /proc: guest RAM resident + overhead = QEMU's RSS, which /proc agrees with (a sample is up
        // to
        // 2 s old and a guest that has just booted still grows, so once its RSS holds still)
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            long rss = procKb(pid, "VmRSS:");
            long charged = cgroupFile(id, "memory.usage_in_bytes");
            m = daemon.get("/api/v1/instances/ballooned/stats").path("memory");
            boolean close = Math.abs(m.path("processRss").asLong() - rss) <= rss / 10
                    && Math.abs(m.path("cgroupUsage").asLong() - charged) <= charged / 10;
            if (close || System.nanoTime() > deadline) {
                assertThat(m.path("processRss").asLong())
                        .isCloseTo(rss, org.assertj.core.data.Percentage.withPercentage(10));
                assertThat(m.path("cgroupUsage").asLong())
                        .isCloseTo(charged, org.assertj.core.data.Percentage.withPercentage(10));
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(m.path("guestRamRss").asLong() + m.path("overhead").asLong())
                .isCloseTo(m.path("processRss").asLong(), org.assertj.core.data.Offset.offset(8 * mib));
        assertThat(m.path("guestRamRss").asLong()).isPositive().isLessThanOrEqualTo(256 * mib);
        // ... and against the cgroup's own files
        assertThat(m.path("cgroupLimit").asLong()).isEqualTo(cgroupFile(id, "memory.limit_in_bytes"));
        assertThat(m.path("cgroupUsage").asLong())
                .as("the cgroup holds QEMU")
                .isGreaterThanOrEqualTo(m.path("guestRamRss").asLong());
        assertThat(s.path("cpuNanos").asLong()).isPositive();
        assertThat(s.path("vcpuNanos").asLong())
                .as("the vCPU threads' time")
                .isPositive()
                .isLessThanOrEqualTo(s.path("cpuNanos").asLong());

        // disk I/O from QEMU: a write in the guest shows up
        long written = s.path("disk").path("writeBytes").asLong();
        GuestShell.run(
                daemon,
                "ballooned",
                "wget -qO- 'http://127.0.0.1/cgi-bin/write?n=1024' >/dev/null; sync",
                Duration.ofMinutes(2));
        awaitStats("ballooned", j -> j.path("disk").path("writeBytes").asLong() > written, Duration.ofSeconds(30));

        // the balloon: the guest's memory shrinks to the target, and comes back when it is cleared
        long before = m.path("guestTotal").asLong();
        assertThat(daemon.post("/api/v1/instances/ballooned/memory-target", "{\"target\":\"128M\"}")
                        .status())
                .isEqualTo(200);
        JsonNode small = awaitStats(
                "ballooned",
                j -> j.path("memory").path("guestTotal").asLong() < before - 100 * mib,
                Duration.ofSeconds(60));
        assertThat(small.path("memory").path("balloon").asLong()).isEqualTo(128 * mib);
        // what the guest sees, not the target: its MemTotal is below the 128 MiB it keeps (the kernel's own
        // reservations)
        assertThat(small.path("memory").path("guestTotal").asLong()).isLessThan(128 * mib);
        assertThat(small.path("memory").path("target").asLong()).isEqualTo(128 * mib);
        // bad targets are refused and change nothing
        assertThat(daemon.post("/api/v1/instances/ballooned/memory-target", "{\"target\":\"1G\"}")
                        .status())
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/instances/ballooned/memory-target", "{\"target\":\"1M\"}")
                        .status())
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/instances/ballooned/memory-target", "{\"target\":\"lots\"}")
                        .status())
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/instances/nosuch/memory-target", "{\"target\":\"128M\"}")
                        .status())
                .isEqualTo(404);
        assertThat(awaitStats("ballooned", j -> true, Duration.ofSeconds(5))
                        .path("memory")
                        .path("target")
                        .asLong())
                .isEqualTo(128 * mib);
        assertThat(daemon.post("/api/v1/instances/ballooned/memory-target", "{\"target\":null}")
                        .status())
                .isEqualTo(200);
        awaitStats(
                "ballooned",
                j -> j.path("memory").path("guestTotal").asLong() > before - 16 * mib,
                Duration.ofSeconds(60));

        // the node's totals count it
        JsonNode node = daemon.get("/api/v1/stats");
        assertThat(node.path("memoryCommitted").asLong()).isGreaterThanOrEqualTo(256 * mib);
        assertThat(node.path("memoryTotal").asLong())
                .isGreaterThan(node.path("memoryAvailable").asLong());
        assertThat(node.path("instances")).anyMatch(i -> i.path("name").asText().equals("ballooned"));

        // the history fills with 10-second steps
        JsonNode hist = awaitHistory("ballooned");
        assertThat(hist.path("step").asInt()).isEqualTo(10);
        assertThat(hist.path("points").get(0).path("memory").asDouble()).isPositive();
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/ballooned/history?range=decade", null)
                        .status())
                .isEqualTo(400);
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/nosuch/history", null)
                        .status())
                .isEqualTo(404);
        daemon.okTask("/api/v1/instances/ballooned/stop", null);
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/ballooned/stats", null)
                        .status())
                .as("stopped: no stats")
                .isEqualTo(409);
    }

    static JsonNode awaitHistory(String name) throws InterruptedException {
        for (int i = 0; i < 60; i++) {
            JsonNode h = daemon.get("/api/v1/instances/" + name + "/history?range=hour");
            if (h.path("points").size() > 0) {
                return h;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no history for " + name);
    }

    @Test
    void aContainersStatsMatchItsCgroupAndTheStreamCarriesSamples() throws Exception {
        String image = ContainerSupport.load(
                daemon,
                work,
                "test/stats:1",
                t -> t.set("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"))
                        .set("Cmd", List.of("sh", "-c", "while :; do :; done")));
        ContainerSupport.create(daemon, "{\"name\":\"busy\",\"image\":\"" + image + "\",\"memory\":\"64M\"}");
        ContainerSupport.start(daemon, "busy");
        // right after the start, before the sampler's next round: sampled on demand, as ps shows it running
        assertThat(daemon.get("/api/v1/stats?name=busy").path("instances"))
                .as("stats right after the start")
                .hasSize(1);
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/busy/stats", null)
                        .status())
                .isEqualTo(200);
        String id = daemon.instance("busy").path("id").asText();
        JsonNode s = awaitStats("busy", j -> j.path("cpuPercent").asDouble() > 20, Duration.ofSeconds(30));
        assertThat(s.path("kind").asText()).isEqualTo("container");
        assertThat(s.path("memory").path("cgroupLimit").asLong())
                .isEqualTo(cgroupFile(id, "memory.limit_in_bytes"))
                .isEqualTo(64L << 20);
        assertThat(s.path("memory").path("cgroupUsage").asLong()).isPositive();

        // the stream: NDJSON lines with this container, until the client leaves
        var stream = daemon.client().stream("GET", "/api/v1/stats?stream=true&name=busy");
        try (stream;
                var r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 2; i++) {
                JsonNode line = Json.tree(r.readLine());
                assertThat(line.path("instances")).hasSize(1);
                assertThat(line.path("instances").get(0).path("name").asText()).isEqualTo("busy");
            }
        }
        assertThat(daemon.client()
                        .call("GET", "/api/v1/stats?name=nosuch", null)
                        .status())
                .isEqualTo(404);
        assertThat(daemon.post("/api/v1/instances/busy/memory-target", "{\"target\":\"32M\"}")
                        .status())
                .as("containers have no balloon")
                .isEqualTo(400);
        daemon.client().call("DELETE", "/api/v1/instances/busy?force=true", null);
    }

    /** A /proc/meminfo field in bytes. */
    static long kib(String meminfo, String field) {
        var m = java.util.regex.Pattern.compile(field + ":\\s+(\\d+) kB").matcher(meminfo);
        assertThat(m.find()).as(field + " in " + meminfo).isTrue();
        return Long.parseLong(m.group(1)) * 1024;
    }

    /** /metrics through the reference Prometheus text parser (Debian's python3-prometheus-client): name -> labels of its samples. */
    static JsonNode parsedMetrics() throws Exception {
        String text = daemon.client().call("GET", "/metrics", null).text();
        Path file = work.resolve("metrics.txt");
        Files.writeString(file, text);
        var r = new dev.vessel.host.ProcessRunner()
                .run(List.of("/usr/bin/python3", "-c", """
                import json, sys
                from prometheus_client.parser import text_string_to_metric_families
                out = {}
                for f in text_string_to_metric_families(open(sys.argv[1]).read()):
                    out[f.name] = [dict(s.labels, __value=s.value) for s in f.samples]
                print(json.dumps(out))
                """, file.toString()), Duration.ofSeconds(30));
        return Json.tree(r.stdout());
    }

    static boolean hasSeries(JsonNode metrics, String family, String name) {
        for (JsonNode s : metrics.path(family)) {
            if (s.path("name").asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void metricsParseWithThePrometheusParserAndFollowInstancesAndRequests() throws Exception {
        String image = ContainerSupport.load(
                daemon,
                work,
                "test/metrics:1",
                t -> t.set("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"))
                        .set("Cmd", List.of("sleep", "100000")));
        ContainerSupport.create(daemon, "{\"name\":\"measured\",\"image\":\"" + image + "\"}");
        ContainerSupport.start(daemon, "measured");
        awaitStats("measured", j -> j.path("cpuNanos").asLong() > 0, Duration.ofSeconds(30));
        daemon.client().call("GET", "/api/v1/instances/nosuch", null);

        JsonNode m = parsedMetrics();
        assertThat(hasSeries(m, "vessel_instance_cpu_seconds", "measured"))
                .as("per-instance CPU")
                .isTrue();
        assertThat(hasSeries(m, "vessel_instance_memory_cgroup_bytes", "measured"))
                .isTrue();
        assertThat(m.path("vessel_instance_up"))
                .anyMatch(s -> s.path("name").asText().equals("measured")
                        && s.path("kind").asText().equals("container")
                        && s.path("__value").asDouble() == 1);
        // API latency by route template, never by raw path
        assertThat(m.path("vessel_api_requests_seconds"))
                .anyMatch(s -> s.path("route").asText().equals("/api/v1/instances/{name}")
                        && s.path("status").asText().equals("404"));
        assertThat(m.path("vessel_api_requests_seconds"))
                .noneMatch(s -> s.path("route").asText().contains("nosuch"));
        assertThat(m.path("vessel_tasks_finished"))
                .anyMatch(s -> s.path("operation").asText().equals("start")
                        && s.path("outcome").asText().equals("succeeded"));
        assertThat(m.has("jvm_memory_used_bytes")).isTrue();
        assertThat(m.has("process_files_open_files")).isTrue();

        // a removed instance leaves no series behind
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/measured?force=true", null)
                        .status())
                .isBetween(200, 299);
        JsonNode after = parsedMetrics();
        assertThat(hasSeries(after, "vessel_instance_cpu_seconds", "measured")).isFalse();
        assertThat(hasSeries(after, "vessel_instance_up", "measured")).isFalse();
    }
}
