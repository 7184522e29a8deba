package dev.vessel.docker;

import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.engine.service.Services;
import dev.vessel.host.Json;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.model.InstanceStats;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /containers/{id}/stats}: the engine's samples in moby's StatsJSON, each with the one before as
 * {@code precpu_stats}, so that {@code docker stats} computes the CPU share as it does under dockerd. A VM's sample is
 * the guest's: its vCPU time, and the memory its own {@code free} calls used, out of what it was given.
 */
final class StatsRoutes {
    private final Services services;
    private final ContainerRefs refs;

    StatsRoutes(Services services, ContainerRefs refs) {
        this.services = services;
        this.refs = refs;
    }

    void routing(DockerApi api) {
        api.read("GET", "/containers/{id}/stats", this::stats);
    }

    private HttpResponse stats(HttpRequest req) {
        Instance i = refs.resolve(req.project(), req.pathParam("id"));
        boolean stream = DockerApi.flag(req, "stream", true);
        boolean oneShot = DockerApi.flag(req, "one-shot", false);
        if (oneShot && stream) {
            throw DockerErrors.invalid("cannot have stream=true and one-shot=true");
        }
        var node = services.stats().node();
        int cpus = Math.max(1, node.cpus());
        long hostMemory = node.memoryTotal();
        String name = i.name();
        Duration period = services.stats().period();
        return new HttpResponse.Streaming(200, "application/json", out -> {
            out.flush();
            Optional<InstanceStats> first = services.stats().latest(name);
            if (!stream) {
                InstanceStats pre = null;
                InstanceStats now = first.orElse(null);
                if (now != null && !oneShot) {
                    pre = now;
                    now = next(name, now, period).orElse(now);
                }
                write(out, sample(i, now, pre, cpus, hostMemory));
                return;
            }
            InstanceStats pre = null;
            InstanceStats now = first.orElse(null);
            while (true) {
                write(out, sample(i, now, pre, cpus, hostMemory));
                if (now == null) {
                    return; // not running: one empty sample, as dockerd sends, then the end
                }
                var later = next(name, now, period);
                if (later.isEmpty()) {
                    write(out, sample(i, null, now, cpus, hostMemory));
                    return;
                }
                pre = now;
                now = later.get();
            }
        });
    }

    /** The first sample newer than {@code after}; empty once the instance stopped. */
    private Optional<InstanceStats> next(String name, InstanceStats after, Duration period)
            throws InterruptedException {
        long deadline = System.nanoTime() + period.multipliedBy(3).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(Math.max(50, period.toMillis() / 5));
            var s = services.stats().latest(name);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            if (s.get().at().isAfter(after.at())) {
                return s;
            }
        }
        return services.stats().latest(name);
    }

    private static void write(OutputStream out, Map<String, Object> sample) throws IOException {
        out.write(Json.MAPPER.writeValueAsBytes(sample));
        out.write('\n');
        out.flush();
    }

    /** moby's StatsJSON of {@code s} (null: not running), with {@code pre} as the sample before. */
    static Map<String, Object> sample(Instance i, InstanceStats s, InstanceStats pre, int cpus, long hostMemory) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", "/" + ContainerRefs.dockerName(i));
        m.put("id", i.id());
        m.put("read", DockerTime.rfc3339(s == null ? null : s.at()));
        m.put("preread", DockerTime.rfc3339(pre == null ? null : pre.at()));
        m.put("pids_stats", Map.of());
        m.put("num_procs", 0);
        m.put("storage_stats", Map.of());
        m.put("cpu_stats", cpu(i, s, cpus));
        m.put("precpu_stats", cpu(i, pre, cpus));
        m.put("memory_stats", memory(i, s, hostMemory));
        m.put("blkio_stats", blkio(s));
        if (s != null && s.net().rxBytes() >= 0) {
            var n = s.net();
            var eth0 = new LinkedHashMap<String, Object>();
            eth0.put("rx_bytes", n.rxBytes());
            eth0.put("rx_packets", Math.max(0, n.rxPackets()));
            eth0.put("rx_errors", 0);
            eth0.put("rx_dropped", 0);
            eth0.put("tx_bytes", n.txBytes());
            eth0.put("tx_packets", Math.max(0, n.txPackets()));
            eth0.put("tx_errors", 0);
            eth0.put("tx_dropped", 0);
            m.put("networks", Map.of("eth0", eth0));
        }
        return m;
    }

    /**
     * CPU as the CLI divides it: the instance's CPU time over the host's, times the CPUs. The host's total is the wall
     * clock times the CPUs (what /proc/stat's sum grows by), so the share is exactly the engine's.
     */
    private static Map<String, Object> cpu(Instance i, InstanceStats s, int cpus) {
        if (s == null) {
            return Map.of("cpu_usage", Map.of("total_usage", 0), "throttling_data", Map.of());
        }
        long used = i.kind() == InstanceKind.VM && s.vcpuNanos() >= 0 ? s.vcpuNanos() : Math.max(0, s.cpuNanos());
        long system = (s.at().getEpochSecond() * 1_000_000_000L + s.at().getNano()) * cpus;
        var usage = new LinkedHashMap<String, Object>();
        usage.put("total_usage", used);
        usage.put("usage_in_kernelmode", 0);
        usage.put("usage_in_usermode", used);
        var m = new LinkedHashMap<String, Object>();
        m.put("cpu_usage", usage);
        m.put("system_cpu_usage", system);
        m.put("online_cpus", cpus);
        m.put("throttling_data", Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0));
        return m;
    }

    private static Map<String, Object> memory(Instance i, InstanceStats s, long hostMemory) {
        if (s == null) {
            return Map.of();
        }
        var mem = s.memory();
        long usage;
        long limit;
        if (i.kind() == InstanceKind.VM) {
            usage = mem.guestUsed() >= 0 ? mem.guestUsed() : mem.processRss();
            limit = mem.assigned();
        } else {
            usage = mem.cgroupUsage() >= 0 ? mem.cgroupUsage() : mem.processRss();
            // no limit: the host's memory, as dockerd shows it
            limit = mem.cgroupLimit() > 0 && (hostMemory <= 0 || mem.cgroupLimit() < hostMemory)
                    ? mem.cgroupLimit()
                    : hostMemory;
        }
        var m = new LinkedHashMap<String, Object>();
        m.put("usage", Math.max(0, usage));
        m.put("stats", Map.of());
        m.put("limit", Math.max(0, limit));
        return m;
    }

    private static Map<String, Object> blkio(InstanceStats s) {
        if (s == null || s.disk().readBytes() < 0) {
            return Map.of("io_service_bytes_recursive", List.of());
        }
        return Map.of(
                "io_service_bytes_recursive",
                List.of(
                        Map.of(
                                "major",
                                0,
                                "minor",
                                0,
                                "op",
                                "read",
                                "value",
                                s.disk().readBytes()),
                        Map.of(
                                "major",
                                0,
                                "minor",
                                0,
                                "op",
                                "write",
                                "value",
                                s.disk().writeBytes())));
    }
}
