package dev.vessel.docker;

import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.engine.service.Services;
import dev.vessel.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /_ping}, {@code /version}, {@code /info}. */
final class SystemRoutes {
    private final Services services;

    SystemRoutes(Services services) {
        this.services = services;
    }

    void routing(DockerApi api) {
        api.open("GET", "/_ping", req -> ping(req.method().equals("HEAD")));
        api.open("HEAD", "/_ping", req -> ping(true));
        api.read("GET", "/version", req -> DockerJson.ok(version()));
        api.read("GET", "/info", req -> DockerJson.ok(info()));
    }

    /** The headers clients read before anything else: the API version to speak, and whether to show checkpoints. */
    static Map<String, String> pingHeaders() {
        var h = new LinkedHashMap<String, String>();
        h.put("Api-Version", DockerApi.VERSION);
        h.put("Docker-Experimental", "true");
        h.put("Ostype", "linux");
        h.put("Builder-Version", "1");
        h.put("Cache-Control", "no-cache, no-store, must-revalidate");
        h.put("Pragma", "no-cache");
        return h;
    }

    private static HttpResponse ping(boolean head) {
        byte[] body = head ? new byte[0] : "OK".getBytes(StandardCharsets.US_ASCII);
        return new HttpResponse.Full(200, "text/plain; charset=utf-8", body, pingHeaders());
    }

    private static String kernel() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/osrelease"))
                    .strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Map<String, Object> version() {
        String v = services.host().info().version();
        var details = new LinkedHashMap<String, Object>();
        details.put("ApiVersion", DockerApi.VERSION);
        details.put("MinAPIVersion", DockerApi.MIN_VERSION);
        details.put("Os", "linux");
        details.put("Arch", "amd64");
        details.put("KernelVersion", kernel());
        details.put("Experimental", "true");
        var m = new LinkedHashMap<String, Object>();
        m.put("Platform", Map.of("Name", "Vessel " + v));
        m.put("Components", List.of(Map.of("Name", "Engine", "Version", v, "Details", details)));
        m.put("Version", v);
        m.put("ApiVersion", DockerApi.VERSION);
        m.put("MinAPIVersion", DockerApi.MIN_VERSION);
        m.put("GitCommit", "");
        m.put("GoVersion", "");
        m.put("Os", "linux");
        m.put("Arch", "amd64");
        m.put("KernelVersion", kernel());
        m.put("Experimental", true);
        m.put("BuildTime", "");
        return m;
    }

    private Map<String, Object> info() {
        var host = services.host().info();
        var node = services.stats().node();
        int running = 0;
        int paused = 0;
        int stopped = 0;
        for (var i : services.instances().stored()) {
            if (i.kind() != InstanceKind.CONTAINER) {
                continue;
            }
            switch (i.state()) {
                case InstanceState.Paused p -> paused++;
                case InstanceState.Created c -> stopped++;
                case InstanceState.Stopped s -> stopped++;
                default -> running++;
            }
        }
        var m = new LinkedHashMap<String, Object>();
        m.put("ID", "");
        m.put("Containers", running + paused + stopped);
        m.put("ContainersRunning", running);
        m.put("ContainersPaused", paused);
        m.put("ContainersStopped", stopped);
        m.put("Images", services.ociImages().list(null).size());
        m.put("Driver", "overlay2");
        m.put("DriverStatus", List.of());
        m.put(
                "Plugins",
                Map.of(
                        "Volume", List.of("local"),
                        "Network", List.of("bridge", "host", "null"),
                        "Authorization", List.of(),
                        "Log", List.of("json-file")));
        m.put("MemoryLimit", true);
        m.put("SwapLimit", true);
        m.put("CpuCfsPeriod", true);
        m.put("CpuCfsQuota", true);
        m.put("CPUShares", false);
        m.put("CPUSet", false);
        m.put("PidsLimit", true);
        m.put("IPv4Forwarding", true);
        m.put("Debug", false);
        m.put("NFd", 0);
        m.put("NGoroutines", 0);
        m.put("SystemTime", DockerTime.rfc3339(java.time.Instant.now()));
        m.put("LoggingDriver", "json-file");
        m.put("CgroupDriver", "cgroupfs");
        m.put(
                "CgroupVersion",
                java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1");
        m.put("NEventsListener", 0);
        m.put("KernelVersion", kernel());
        m.put("OperatingSystem", "Vessel " + host.version());
        m.put("OSVersion", "");
        m.put("OSType", "linux");
        m.put("Architecture", "x86_64");
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        m.put("NCPU", host.cpus());
        m.put("MemTotal", node.memoryTotal());
        m.put("DockerRootDir", host.dataDir());
        m.put("Name", hostname());
        m.put("Labels", List.of());
        m.put("ExperimentalBuild", true);
        m.put("ServerVersion", host.version());
        m.put("Runtimes", Map.of("runc", Map.of("path", host.runtime())));
        m.put("DefaultRuntime", "runc");
        m.put(
                "Swarm",
                Map.of(
                        "NodeID",
                        "",
                        "NodeAddr",
                        "",
                        "LocalNodeState",
                        "inactive",
                        "ControlAvailable",
                        false,
                        "Error",
                        "",
                        "RemoteManagers",
                        List.of()));
        m.put("LiveRestoreEnabled", true);
        m.put("Isolation", "");
        m.put("InitBinary", "vessel-init");
        m.put("SecurityOptions", List.of("name=seccomp,profile=builtin"));
        m.put("Warnings", List.of());
        return m;
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
