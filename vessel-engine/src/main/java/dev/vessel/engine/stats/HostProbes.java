package dev.vessel.engine.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the host's own counters from /proc: a process's memory map and network devices, threads' CPU time, the node's memory. */
final class HostProbes {
    /** USER_HZ: /proc reports CPU time in clock ticks, 100 per second on Linux. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Path proc;

    HostProbes(Path proc) {
        this.proc = proc;
    }

    static HostProbes host() {
        return new HostProbes(Path.of("/proc"));
    }

    /** A process's resident memory (VmRSS), or -1. */
    long rss(long pid) {
        return kbField(proc.resolve(pid + "/status"), "VmRSS:");
    }

    /**
     * The resident part of a process's mappings of exactly {@code size} bytes: QEMU maps a VM's RAM as one anonymous
     * mapping of the assigned size, so this is the guest RAM the host really holds. -1 if unreadable.
     */
    long residentOfMappingsSized(long pid, long size) {
        long sizeKb = size / 1024;
        long total = 0;
        boolean match = false;
        try (var lines = Files.lines(proc.resolve(pid + "/smaps"))) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("Size:")) {
                    match = kb(line) == sizeKb;
                } else if (match && line.startsWith("Rss:")) {
                    total += kb(line) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return total;
    }

    /** Bytes and packets of every network device but loopback in the process's network namespace: rx, tx, rx, tx. */
    long[] netDev(long pid) {
        long[] t = new long[4];
        try {
            List<String> lines = Files.readAllLines(proc.resolve(pid + "/net/dev"));
            for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
                int colon = line.indexOf(':');
                if (colon < 0 || line.substring(0, colon).strip().equals("lo")) {
                    continue;
                }
                String[] f = line.substring(colon + 1).trim().split("\\s+");
                t[0] += Long.parseLong(f[0]);
                t[2] += Long.parseLong(f[1]);
                t[1] += Long.parseLong(f[8]);
                t[3] += Long.parseLong(f[9]);
            }
            return t;
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1, -1, -1};
        }
    }

    /**
     * CPU time of a QEMU process's vCPU threads: QEMU runs with {@code debug-threads=on}, which names them "CPU n/KVM"
     * or "CPU n/TCG". (QMP's thread ids are of QEMU's own PID namespace, so the names are the reliable key.) -1 if none.
     */
    long vcpuNanos(long pid) {
        long total = 0;
        boolean any = false;
        try (var tasks = Files.list(proc.resolve(pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String comm;
                try {
                    comm = Files.readString(t.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread ended
                }
                if (comm.startsWith("CPU ")) {
                    long n = threadCpuNanos(pid, Long.parseLong(t.getFileName().toString()));
                    if (n >= 0) {
                        total += n;
                        any = true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return any ? total : -1;
    }

    /** User plus system CPU time of one thread of a process, in nanoseconds, or -1. */
    long threadCpuNanos(long pid, long tid) {
        try {
            String s = Files.readString(proc.resolve(pid + "/task/" + tid + "/stat"));
            // the command name is in parentheses and may hold spaces: fields count from the last ')'
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    long memTotal() {
        return kbField(proc.resolve("meminfo"), "MemTotal:");
    }

    long memAvailable() {
        return kbField(proc.resolve("meminfo"), "MemAvailable:");
    }

    /** Memory pressure: the share of the last 10 s in which some task waited for memory (PSI "some avg10"), or -1. */
    double memoryPressure() {
        try {
            for (String line : Files.readAllLines(proc.resolve("pressure/memory"))) {
                if (line.startsWith("some ")) {
                    for (String kv : line.split(" ")) {
                        if (kv.startsWith("avg10=")) {
                            return Double.parseDouble(kv.substring(6));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Total CPU time of the whole node, in nanoseconds (first line of /proc/stat, all but idle and iowait). */
    long nodeBusyNanos() {
        try {
            String first = Files.readAllLines(proc.resolve("stat")).getFirst();
            String[] f = first.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long kbField(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return kb(line) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long kb(String line) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[1]);
    }
}
