package dev.vessel.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The container's cgroup counters that say how its processes ended and what they hold: the OOM killer's count and the
 * anonymous memory, on cgroup v1 (this machine's hybrid layout) or v2. They must be read before {@code runc delete}
 * removes the cgroup.
 */
final class CgroupCounters {
    private final Path root;

    CgroupCounters(Path root) {
        this.root = root;
    }

    static CgroupCounters host() {
        return new CgroupCounters(Path.of("/sys/fs/cgroup"));
    }

    private boolean unified() {
        return Files.exists(root.resolve("cgroup.controllers"));
    }

    private Path memoryDir(String cgroupsPath) {
        String rel = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        return unified() ? root.resolve(rel) : root.resolve("memory").resolve(rel);
    }

    /** How many processes the OOM killer ended in the cgroup (v1 memory.oom_control, v2 memory.events). */
    long oomKills(String cgroupsPath) {
        Path dir = memoryDir(cgroupsPath);
        return field(unified() ? dir.resolve("memory.events") : dir.resolve("memory.oom_control"), "oom_kill")
                .orElse(0);
    }

    /** Anonymous memory of the cgroup's processes: what they hold, without page cache. */
    OptionalLong rss(String cgroupsPath) {
        Path dir = memoryDir(cgroupsPath);
        return unified() ? field(dir.resolve("memory.stat"), "anon") : field(dir.resolve("memory.stat"), "total_rss");
    }

    private static OptionalLong field(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key + " ")) {
                    return OptionalLong.of(
                            Long.parseLong(line.substring(key.length() + 1).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
