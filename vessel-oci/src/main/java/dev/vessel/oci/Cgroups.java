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
                for (String line : Files.readAllLines(root.resolve(rel(cgroupsPath)).resolve("cpu.stat"))) {
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
