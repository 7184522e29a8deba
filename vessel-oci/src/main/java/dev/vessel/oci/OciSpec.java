package dev.vessel.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI runtime spec ({@code config.json}) as values. {@link #toJson()} gives a deterministic document, which the
 * golden tests compare byte for byte.
 */
public record OciSpec(
        String hostname,
        List<String> args,
        List<String> env,
        String cwd,
        int uid,
        int gid,
        List<String> capabilities,
        String rootPath,
        boolean readonlyRoot,
        List<Mount> mounts,
        List<String> namespaces,
        Resources resources,
        List<Device> devices,
        String cgroupsPath,
        int oomScoreAdj) {

    public OciSpec {
        args = List.copyOf(args);
        env = List.copyOf(env);
        capabilities = List.copyOf(capabilities);
        mounts = List.copyOf(mounts);
        namespaces = List.copyOf(namespaces);
        devices = List.copyOf(devices);
    }

    public record Mount(String destination, String type, String source, List<String> options) {
        public static Mount bind(String source, String destination, boolean readOnly) {
            var opts = new ArrayList<>(List.of("rbind", "nosuid", "nodev"));
            opts.add(readOnly ? "ro" : "rw");
            return new Mount(destination, "bind", source, opts);
        }
    }

    /** A device node made inside the container and allowed by the device cgroup. */
    public record Device(String path, char type, int major, int minor) {}

    /**
     * cgroup limits. {@code memoryLimit} 0 = none; {@code cpuQuota} in µs per {@code cpuPeriod}, 0 = none.
     */
    public record Resources(long memoryLimit, long cpuQuota, long cpuPeriod, long pidsLimit) {}

    /** Masked like runc's default spec, so a process cannot read host kernel state it has no business with. */
    static final List<String> MASKED = List.of(
            "/proc/acpi",
            "/proc/asound",
            "/proc/kcore",
            "/proc/keys",
            "/proc/latency_stats",
            "/proc/timer_list",
            "/proc/timer_stats",
            "/proc/sched_debug",
            "/sys/firmware",
            "/proc/scsi");

    static final List<String> READONLY =
            List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    /** Map.of iterates in a per-JVM random order; the document must be the same every time. */
    private static Map<String, Object> ordered(Object... kv) {
        var m = new LinkedHashMap<String, Object>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    public Map<String, Object> toJson() {
        var doc = new LinkedHashMap<String, Object>();
        doc.put("ociVersion", "1.0.2");
        var process = new LinkedHashMap<String, Object>();
        process.put("terminal", false);
        process.put("user", ordered("uid", uid, "gid", gid));
        process.put("args", args);
        process.put("env", env);
        process.put("cwd", cwd);
        var caps = new LinkedHashMap<String, Object>();
        for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
            caps.put(set, capabilities);
        }
        process.put("capabilities", caps);
        process.put("noNewPrivileges", true);
        process.put("oomScoreAdj", oomScoreAdj);
        doc.put("process", process);
        doc.put("root", ordered("path", rootPath, "readonly", readonlyRoot));
        doc.put("hostname", hostname);
        var ms = new ArrayList<Map<String, Object>>();
        for (Mount m : mounts) {
            var mj = new LinkedHashMap<String, Object>();
            mj.put("destination", m.destination());
            mj.put("type", m.type());
            mj.put("source", m.source());
            mj.put("options", m.options());
            ms.add(mj);
        }
        doc.put("mounts", ms);
        var linux = new LinkedHashMap<String, Object>();
        var res = new LinkedHashMap<String, Object>();
        var devAllow = new ArrayList<Map<String, Object>>();
        devAllow.add(ordered("allow", false, "access", "rwm"));
        for (Device d : devices) {
            var a = new LinkedHashMap<String, Object>();
            a.put("allow", true);
            a.put("type", String.valueOf(d.type()));
            a.put("major", d.major());
            a.put("minor", d.minor());
            a.put("access", "rwm");
            devAllow.add(a);
        }
        res.put("devices", devAllow);
        if (resources.memoryLimit() > 0) {
            res.put("memory", ordered("limit", resources.memoryLimit()));
        }
        if (resources.cpuQuota() > 0) {
            res.put("cpu", ordered("quota", resources.cpuQuota(), "period", resources.cpuPeriod()));
        }
        if (resources.pidsLimit() > 0) {
            res.put("pids", ordered("limit", resources.pidsLimit()));
        }
        linux.put("resources", res);
        linux.put("cgroupsPath", cgroupsPath);
        var nss = new ArrayList<Map<String, Object>>();
        for (String ns : namespaces) {
            nss.add(ordered("type", ns));
        }
        linux.put("namespaces", nss);
        var devs = new ArrayList<Map<String, Object>>();
        for (Device d : devices) {
            var dj = new LinkedHashMap<String, Object>();
            dj.put("path", d.path());
            dj.put("type", String.valueOf(d.type()));
            dj.put("major", d.major());
            dj.put("minor", d.minor());
            dj.put("fileMode", 0660);
            // the process's own: a VM's QEMU runs as the VM's uid and opens /dev/kvm and /dev/net/tun as it
            dj.put("uid", uid);
            dj.put("gid", gid);
            devs.add(dj);
        }
        linux.put("devices", devs);
        linux.put("maskedPaths", MASKED);
        linux.put("readonlyPaths", READONLY);
        doc.put("linux", linux);
        return doc;
    }
}
