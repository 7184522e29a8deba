package dev.vessel.engine.project;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ByteSize;
import dev.vessel.model.ProjectLimits;
import java.util.Map;
import java.util.TreeSet;

/** Reads the {@code limits} of a project request onto the limits there are: an empty value removes one. */
final class LimitsParser {
    static final java.util.Set<String> KEYS = java.util.Set.of("instances", "cpus", "memory", "disk", "networks");

    private LimitsParser() {}

    static ProjectLimits apply(ProjectLimits base, Map<String, String> changes) {
        if (changes == null || changes.isEmpty()) {
            return base;
        }
        Integer instances = base.instances();
        Double cpus = base.cpus();
        Long memory = base.memory();
        Long disk = base.disk();
        Integer networks = base.networks();
        for (var e : changes.entrySet()) {
            String key = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue().strip();
            String field = "limits." + key;
            switch (key == null ? "" : key) {
                case "instances" -> instances = v.isEmpty() ? null : (int) count(field, v, 100_000);
                case "cpus" -> cpus = v.isEmpty() ? null : cpus(field, v);
                case "memory" -> memory = v.isEmpty() ? null : ByteSize.parse(field, v);
                case "disk" -> disk = v.isEmpty() ? null : ByteSize.parse(field, v);
                case "networks" -> networks = v.isEmpty() ? null : (int) count(field, v, 10_000);
                default ->
                    throw VesselException.invalid(
                            "limits", "unknown limit '" + key + "'; the limits are " + new TreeSet<>(KEYS));
            }
        }
        return new ProjectLimits(instances, cpus, memory, disk, networks);
    }

    private static long count(String field, String v, long max) {
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > max) {
                throw VesselException.invalid(field, "must be 0.." + max + ", not " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw VesselException.invalid(field, "'" + v + "' is not a whole number");
        }
    }

    private static double cpus(String field, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!(d >= 0) || d > 100_000 || Double.isInfinite(d)) {
                throw VesselException.invalid(field, "must be 0..100000, not " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw VesselException.invalid(field, "'" + v + "' is not a number of CPUs");
        }
    }
}
