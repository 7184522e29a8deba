package dev.vessel.container;

import dev.vessel.core.model.IdRange;
import dev.vessel.oci.OciSpec.Mount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI runtime config ({@code config.json}) of a container, as values. Modelled on what Docker gives a container by
 * default: its capability set, masked and read-only /proc paths, no new privileges off unless asked for
 * (--security-opt no-new-privileges), a file-descriptor limit, and a short seccomp deny-list of calls a container has
 * no business making (kernel keyrings, module loading, new mount or user namespaces, clock setting); with {@code
 * --userns auto}, a user namespace of its own over its range of host ids. {@link #toJson()} is deterministic, for the
 * golden tests.
 *
 * @param args the full argv, vessel-init first
 * @param hostNetwork share the host's network namespace ({@code --network host}); otherwise a new one, with loopback up
 * @param memoryLimit bytes, 0 = none; swap is limited to the same, so the limit is not spilled to swap
 * @param cpuQuota microseconds per {@code cpuPeriod}, 0 = none
 * @param nofileHard the hard limit of open files ({@link #NOFILE_HARD} on this host)
 * @param userns the host ids of the container's own user namespace (container ids 0.. map onto them, uids and gids
 *     alike); null to stay in the host's user namespace
 */
public record ContainerConfig(
        String hostname,
        List<String> args,
        List<String> env,
        String cwd,
        int uid,
        int gid,
        List<Integer> additionalGids,
        String rootPath,
        boolean readonlyRoot,
        List<Mount> mounts,
        boolean hostNetwork,
        long memoryLimit,
        long cpuQuota,
        long cpuPeriod,
        long pidsLimit,
        String cgroupsPath,
        long nofileHard,
        boolean noNewPrivileges,
        IdRange userns) {

    public ContainerConfig {
        args = List.copyOf(args);
        env = List.copyOf(env);
        additionalGids = List.copyOf(additionalGids);
        mounts = List.copyOf(mounts);
    }

    /** Docker's default capabilities. */
    static final List<String> CAPABILITIES = List.of(
            "CAP_CHOWN",
            "CAP_DAC_OVERRIDE",
            "CAP_FSETID",
            "CAP_FOWNER",
            "CAP_MKNOD",
            "CAP_NET_RAW",
            "CAP_SETGID",
            "CAP_SETUID",
            "CAP_SETFCAP",
            "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT",
            "CAP_KILL",
            "CAP_AUDIT_WRITE");

    static final List<String> MASKED = List.of(
            "/proc/asound",
            "/proc/acpi",
            "/proc/kcore",
            "/proc/keys",
            "/proc/latency_stats",
            "/proc/timer_list",
            "/proc/timer_stats",
            "/proc/sched_debug",
            "/proc/scsi",
            "/sys/firmware");

    static final List<String> READONLY =
            List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    /** Refused with EPERM. Most need capabilities a container lacks anyway; the list also covers the few that do not. */
    static final List<String> DENIED_SYSCALLS = List.of(
            "acct",
            "add_key",
            "bpf",
            "clock_adjtime",
            "clock_settime",
            "delete_module",
            "finit_module",
            "fsconfig",
            "fsmount",
            "fsopen",
            "fspick",
            "init_module",
            "ioperm",
            "iopl",
            "kexec_file_load",
            "kexec_load",
            "keyctl",
            "lookup_dcookie",
            "mount",
            "move_mount",
            "nfsservctl",
            "open_by_handle_at",
            "open_tree",
            "perf_event_open",
            "pivot_root",
            "quotactl",
            "reboot",
            "request_key",
            "setns",
            "settimeofday",
            "swapoff",
            "swapon",
            "syslog",
            "umount2",
            "unshare",
            "userfaultfd",
            "vhangup");

    /**
     * The daemon's own hard limit of open files: raising a hard limit needs CAP_SYS_RESOURCE, which a daemon in a
     * restricted host (a container, a sandbox) may lack, so a container gets Docker's 524288 only where it can.
     */
    static final long NOFILE_HARD = hardNofile();

    private static long hardNofile() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f =
                            line.substring("Max open files".length()).trim().split("\\s+");
                    return f[1].equals("unlimited") ? 524288 : Long.parseLong(f[1]);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 1024;
        }
        return 1024;
    }

    /**
     * What every container has mounted before its own mounts: /proc, /dev with pts, shm and mqueue, and /sys read-only.
     * A user namespace may not mount sysfs for a network namespace it does not own (the host's, with {@code --network
     * host}): then /sys is the host's, bound read-only, as Docker does with userns-remap and the host network.
     */
    static List<Mount> baseMounts(boolean bindSys) {
        var sys = bindSys
                ? new Mount("/sys", "bind", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro"))
                : new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        return List.of(
                new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount(
                        "/dev/pts",
                        "devpts",
                        "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                sys);
    }

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
        // vessel-init owns the terminal when there is one (it allocates the pty inside the container).
        process.put("terminal", false);
        var user = ordered("uid", uid, "gid", gid);
        if (!additionalGids.isEmpty()) {
            user.put("additionalGids", additionalGids);
        }
        process.put("user", user);
        process.put("args", args);
        process.put("env", env);
        process.put("cwd", cwd);
        process.put(
                "capabilities",
                ordered("bounding", CAPABILITIES, "effective", CAPABILITIES, "permitted", CAPABILITIES));
        long hard = Math.min(524288, nofileHard);
        process.put("rlimits", List.of(ordered("type", "RLIMIT_NOFILE", "hard", hard, "soft", Math.min(1024, hard))));
        process.put("noNewPrivileges", noNewPrivileges);
        process.put("oomScoreAdj", 0);
        doc.put("process", process);
        doc.put("root", ordered("path", rootPath, "readonly", readonlyRoot));
        doc.put("hostname", hostname);
        var ms = new ArrayList<Map<String, Object>>();
        for (Mount m : mounts) {
            ms.add(ordered(
                    "destination", m.destination(), "type", m.type(), "source", m.source(), "options", m.options()));
        }
        doc.put("mounts", ms);
        var linux = new LinkedHashMap<String, Object>();
        var res = new LinkedHashMap<String, Object>();
        res.put("devices", List.of(ordered("allow", false, "access", "rwm")));
        if (memoryLimit > 0) {
            res.put("memory", ordered("limit", memoryLimit, "swap", memoryLimit));
        }
        if (cpuQuota > 0) {
            res.put("cpu", ordered("quota", cpuQuota, "period", cpuPeriod));
        }
        if (pidsLimit > 0) {
            res.put("pids", ordered("limit", pidsLimit));
        }
        linux.put("resources", res);
        linux.put("cgroupsPath", cgroupsPath);
        var nss = new ArrayList<Map<String, Object>>();
        for (String ns : hostNetwork
                ? List.of("pid", "ipc", "uts", "mount", "cgroup")
                : List.of("pid", "ipc", "uts", "mount", "network", "cgroup")) {
            nss.add(ordered("type", ns));
        }
        if (userns != null) {
            nss.add(ordered("type", "user"));
        }
        linux.put("namespaces", nss);
        if (userns != null) {
            var mapping = List.of(ordered("containerID", 0, "hostID", userns.hostId(), "size", userns.size()));
            linux.put("uidMappings", mapping);
            linux.put("gidMappings", mapping);
        }
        linux.put(
                "seccomp",
                ordered(
                        "defaultAction", "SCMP_ACT_ALLOW",
                        "architectures", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                        "syscalls",
                                List.of(ordered("names", DENIED_SYSCALLS, "action", "SCMP_ACT_ERRNO", "errnoRet", 1))));
        linux.put("maskedPaths", MASKED);
        linux.put("readonlyPaths", READONLY);
        doc.put("linux", linux);
        return doc;
    }
}
