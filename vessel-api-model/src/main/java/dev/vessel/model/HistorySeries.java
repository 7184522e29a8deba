package dev.vessel.model;

import java.util.List;

/**
 * An instance's history over a range, for graphs.
 *
 * @param step seconds per point
 */
public record HistorySeries(String name, String range, int step, List<Point> points) {
    /**
     * One step: CPU (average and peak, 100 = one CPU), memory (average and peak bytes), the guest's own use, and disk
     * and network rates in bytes per second.
     *
     * @param start the step's start, epoch seconds
     */
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
            double netTx) {}
}
