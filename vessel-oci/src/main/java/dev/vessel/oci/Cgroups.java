package dev.vessel.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads a container's cgroup counters on either cgroup v1 (this machine's hybrid layout) or the unified v2. */
public final class Cgroups {
    private final Path root;

    public Cgroups(Path root) {
        this.root = root;
    }

    public static Cgroups host() {
        return new Cgroups(Path.of("/sys/fs/cgroup"));
    }

    private boolean unified() {
        return Files.exists(root.resolve("cgroup.controllers"));
    }

    /** Relative cgroup path as given to runc, e.g. /vessel/vessel-ID. */
    public OptionalLong memoryUsage(String cgroupsPath) {
        return unified()
                ? read(root.resolve(rel(cgroupsPath)).resolve("memory.current"))
                : read(root.resolve("memory").resolve(rel(cgroupsPath)).resolve("memory.usage_in_bytes"));
    }

    public OptionalLong memoryLimit(String cgroupsPath) {
        return unified()
                ? read(root.resolve(rel(cgroupsPath)).resolve("memory.max"))
                : read(root.resolve("memory").resolve(rel(cgroupsPath)).resolve("memory.limit_in_bytes"));
    }

    /** Total CPU time in nanoseconds. */
    public OptionalLong cpuUsageNanos(String cgroupsPath) {
        if (unified()) {
            try {
                for (String line :
                        Files.readAllLines(root.resolve(rel(cgroupsPath)).resolve("cpu.stat"))) {
                    if (line.startsWith("usage_usec ")) {
                        return OptionalLong.of(Long.parseLong(line.substring(11).trim()) * 1000);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return OptionalLong.empty();
            }
            return OptionalLong.empty();
        }
        return read(root.resolve("cpuacct").resolve(rel(cgroupsPath)).resolve("cpuacct.usage"));
    }

    /** Block I/O of the cgroup: bytes read, bytes written, read ops, write ops (v1 blkio.throttle.*, v2 io.stat). */
    public java.util.Optional<long[]> io(String cgroupsPath) {
        long[] t = new long[4];
        try {
            if (unified()) {
                for (String line :
                        Files.readAllLines(root.resolve(rel(cgroupsPath)).resolve("io.stat"))) {
                    for (String kv : line.split(" ")) {
                        int eq = kv.indexOf('=');
                        if (eq < 0) {
                            continue;
                        }
                        int slot = switch (kv.substring(0, eq)) {
                            case "rbytes" -> 0;
                            case "wbytes" -> 1;
                            case "rios" -> 2;
                            case "wios" -> 3;
                            default -> -1;
                        };
                        if (slot >= 0) {
                            t[slot] += Long.parseLong(kv.substring(eq + 1));
                        }
                    }
                }
                return java.util.Optional.of(t);
            }
            Path dir = root.resolve("blkio").resolve(rel(cgroupsPath));
            addV1(dir.resolve("blkio.throttle.io_service_bytes"), t, 0);
            addV1(dir.resolve("blkio.throttle.io_serviced"), t, 2);
            return java.util.Optional.of(t);
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** Lines "MAJ:MIN Read N" and "MAJ:MIN Write N" per device; the "Total" lines are skipped. */
    private static void addV1(Path file, long[] t, int at) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[1].equals("Read")) {
                t[at] += Long.parseLong(f[2]);
            } else if (f.length == 3 && f[1].equals("Write")) {
                t[at + 1] += Long.parseLong(f[2]);
            }
        }
    }

    /** Whether any controller still holds a directory for the cgroup (a leak check after removal). */
    public boolean exists(String cgroupsPath) {
        if (unified()) {
            return Files.isDirectory(root.resolve(rel(cgroupsPath)));
        }
        for (String c : new String[] {"memory", "cpu", "pids", "devices", "freezer", "blkio", "cpuacct", "cpuset"}) {
            if (Files.isDirectory(root.resolve(c).resolve(rel(cgroupsPath)))) {
                return true;
            }
        }
        return false;
    }

    private static String rel(String cgroupsPath) {
        return cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
    }

    private static OptionalLong read(Path p) {
        try {
            String s = Files.readString(p).trim();
            return s.equals("max") ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
