package dev.vessel.engine.stats;

import dev.vessel.core.error.VesselException;
import dev.vessel.engine.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A round-robin history per instance, as Proxmox keeps with RRD: an hour at 10 s steps, a day at 1 min, a week at
 * 10 min and a year at 1 day. Each tier is a fixed ring of slots (slot = start / step mod slots) that a new period
 * overwrites, so an instance never has more than {@link #MAX_ROWS_PER_INSTANCE} rows however long it runs, and its
 * rows go with it (ON DELETE CASCADE). A coarser point is the running average (and maximum) of the finer ones.
 */
public final class History {
    /** A time range of the graphs. */
    public enum Range {
        HOUR(10, 360),
        DAY(60, 1440),
        WEEK(600, 1008),
        YEAR(86_400, 366);

        final int step;
        final int slots;

        Range(int step, int slots) {
            this.step = step;
            this.slots = slots;
        }

        public static Range parse(String s) {
            if (s == null) {
                return HOUR;
            }
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw VesselException.invalid("range", "must be hour, day, week or year, not '" + s + "'");
            }
        }
    }

    public static final int MAX_ROWS_PER_INSTANCE = 360 + 1440 + 1008 + 366;

    /** One step's figures: CPU % (average and peak), memory in use (cgroup; average and peak), guest used, rates in bytes/s. */
    public record Point(
            long start,
            int samples,
            double cpu,
            double cpuMax,
            double memory,
            double memoryMax,
            double guestUsed,
            double diskRead,
            double diskWrite,
            double netRx,
            double netTx) {
        Point merge(Point p) {
            int n = samples + p.samples;
            return new Point(
                    start,
                    n,
                    avg(cpu, samples, p.cpu, p.samples),
                    Math.max(cpuMax, p.cpuMax),
                    avg(memory, samples, p.memory, p.samples),
                    Math.max(memoryMax, p.memoryMax),
                    avg(guestUsed, samples, p.guestUsed, p.samples),
                    avg(diskRead, samples, p.diskRead, p.samples),
                    avg(diskWrite, samples, p.diskWrite, p.samples),
                    avg(netRx, samples, p.netRx, p.samples),
                    avg(netTx, samples, p.netTx, p.samples));
        }

        private static double avg(double a, int na, double b, int nb) {
            return (a * na + b * nb) / (na + nb);
        }
    }

    public record Series(String name, String range, int step, List<Point> points) {}

    private final Database db;

    public History(Database db) {
        this.db = db;
    }

    /**
     * Records a finished 10-second point of each instance: written into the hour ring and merged into the coarser ones,
     * in one transaction.
     */
    public void record(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        db.write(c -> {
            for (Entry e : entries) {
                for (Range r : Range.values()) {
                    long start = e.point().start() - Math.floorMod(e.point().start(), r.step);
                    int slot = (int) Math.floorMod(start / r.step, (long) r.slots);
                    Point p = new Point(
                            start,
                            e.point().samples(),
                            e.point().cpu(),
                            e.point().cpuMax(),
                            e.point().memory(),
                            e.point().memoryMax(),
                            e.point().guestUsed(),
                            e.point().diskRead(),
                            e.point().diskWrite(),
                            e.point().netRx(),
                            e.point().netTx());
                    Point old = null;
                    try (var ps = c.prepareStatement(
                            "SELECT start, samples, cpu, cpu_max, memory, memory_max, guest_used, disk_read, disk_write, "
                                    + "net_rx, net_tx FROM history WHERE instance_id = ? AND tier = ? AND slot = ?")) {
                        ps.setString(1, e.instanceId());
                        ps.setInt(2, r.ordinal());
                        ps.setInt(3, slot);
                        try (var rs = ps.executeQuery()) {
                            if (rs.next() && rs.getLong(1) == start) {
                                old = read(rs);
                            }
                        }
                    }
                    Point merged = old == null ? p : old.merge(p);
                    try (var ps = c.prepareStatement(
                            "INSERT OR REPLACE INTO history(instance_id, tier, slot, start, samples, cpu, cpu_max, memory, "
                                    + "memory_max, guest_used, disk_read, disk_write, net_rx, net_tx) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                        ps.setString(1, e.instanceId());
                        ps.setInt(2, r.ordinal());
                        ps.setInt(3, slot);
                        ps.setLong(4, merged.start());
                        ps.setInt(5, merged.samples());
                        ps.setDouble(6, merged.cpu());
                        ps.setDouble(7, merged.cpuMax());
                        ps.setDouble(8, merged.memory());
                        ps.setDouble(9, merged.memoryMax());
                        ps.setDouble(10, merged.guestUsed());
                        ps.setDouble(11, merged.diskRead());
                        ps.setDouble(12, merged.diskWrite());
                        ps.setDouble(13, merged.netRx());
                        ps.setDouble(14, merged.netTx());
                        ps.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    public record Entry(String instanceId, Point point) {}

    /** The points of a range that are still in their ring (no older than the range), oldest first. */
    public List<Point> points(String instanceId, Range range, Instant now) {
        long from = now.getEpochSecond() - (long) range.step * range.slots;
        return db.read(c -> {
            try (var ps = c.prepareStatement(
                    "SELECT start, samples, cpu, cpu_max, memory, memory_max, guest_used, disk_read, disk_write, net_rx, "
                            + "net_tx FROM history WHERE instance_id = ? AND tier = ? AND start >= ? ORDER BY start")) {
                ps.setString(1, instanceId);
                ps.setInt(2, range.ordinal());
                ps.setLong(3, from);
                try (var rs = ps.executeQuery()) {
                    var out = new ArrayList<Point>();
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                    return out;
                }
            }
        });
    }

    /** How many rows an instance holds (for the bound's test and the docs). */
    public int rows(String instanceId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT count(*) FROM history WHERE instance_id = ?")) {
                ps.setString(1, instanceId);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private static Point read(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Point(
                rs.getLong(1),
                rs.getInt(2),
                rs.getDouble(3),
                rs.getDouble(4),
                rs.getDouble(5),
                rs.getDouble(6),
                rs.getDouble(7),
                rs.getDouble(8),
                rs.getDouble(9),
                rs.getDouble(10),
                rs.getDouble(11));
    }
}
