package dev.vessel.qemu.stats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.qemu.qmp.QmpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What QEMU itself says about a running VM, over QMP: the balloon (its size and the guest's memory statistics, which
 * the virtio-balloon driver reports when polling is on), and the disks' I/O counters. Each call is
 * one short QMP command; a device the VM does not have reads as empty.
 */
public final class VmCounters {
    /** The balloon device every VM gets (see QemuCommandLine). */
    public static final String BALLOON_PATH = "/machine/peripheral/balloon0";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private VmCounters() {}

    /** The guest's memory as its balloon driver reports it; -1 where it said nothing. */
    public record GuestMemory(
            long totalBytes, long freeBytes, long availableBytes, long cacheBytes, long lastUpdateEpochSeconds) {
        /**
         * What the guest uses, as its own {@code free} says it: total minus available (the kernel's MemAvailable, which
         * leaves out the page cache and slab it can reclaim, but not shared memory or unreclaimable caches); where the
         * driver reports no available figure, total minus free minus cache. -1 if not known.
         */
        public long usedBytes() {
            if (totalBytes < 0) {
                return -1;
            }
            if (availableBytes >= 0) {
                return Math.max(0, totalBytes - availableBytes);
            }
            return freeBytes < 0 ? -1 : Math.max(0, totalBytes - freeBytes - Math.max(0, cacheBytes));
        }
    }

    /** Disk I/O summed over the VM's block devices. */
    public record BlockTotals(long readBytes, long writeBytes, long readOps, long writeOps) {}

    /** Asks the balloon driver to report the guest's memory every {@code seconds} (0 stops it). */
    public static boolean enableGuestStats(QmpClient qmp, int seconds) {
        try {
            qmp.execute(
                    "qom-set",
                    Map.of("path", BALLOON_PATH, "property", "guest-stats-polling-interval", "value", seconds),
                    TIMEOUT);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The guest's memory from its last balloon statistics, empty if the guest never reported any. */
    public static Optional<GuestMemory> guestMemory(QmpClient qmp) {
        JsonNode r;
        try {
            r = qmp.execute("qom-get", Map.of("path", BALLOON_PATH, "property", "guest-stats"), TIMEOUT);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        long last = r.path("last-update").asLong(0);
        if (last == 0) {
            return Optional.empty();
        }
        JsonNode s = r.path("stats");
        return Optional.of(new GuestMemory(
                s.path("stat-total-memory").asLong(-1),
                s.path("stat-free-memory").asLong(-1),
                s.path("stat-available-memory").asLong(-1),
                s.path("stat-disk-caches").asLong(-1),
                last));
    }

    /** The RAM the guest has now (the assigned RAM minus what the balloon holds), or -1 without a balloon. */
    public static long balloonActual(QmpClient qmp) {
        try {
            return qmp.execute("query-balloon", Map.of(), TIMEOUT)
                    .path("actual")
                    .asLong(-1);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Sets the balloon's target: the RAM the guest should keep. The guest's driver gives the rest back over time. */
    public static void setBalloonTarget(QmpClient qmp, long bytes) {
        qmp.execute("balloon", Map.of("value", bytes), TIMEOUT);
    }

    public static BlockTotals blockTotals(QmpClient qmp) {
        long rb = 0;
        long wb = 0;
        long ro = 0;
        long wo = 0;
        try {
            for (JsonNode dev : qmp.execute("query-blockstats", Map.of(), TIMEOUT)) {
                JsonNode st = dev.path("stats");
                rb += st.path("rd_bytes").asLong(0);
                wb += st.path("wr_bytes").asLong(0);
                ro += st.path("rd_operations").asLong(0);
                wo += st.path("wr_operations").asLong(0);
            }
        } catch (RuntimeException e) {
            return new BlockTotals(-1, -1, -1, -1);
        }
        return new BlockTotals(rb, wb, ro, wo);
    }
}
