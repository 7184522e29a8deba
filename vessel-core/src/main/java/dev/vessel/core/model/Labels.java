package dev.vessel.core.model;

import dev.vessel.core.error.VesselException;
import java.util.Map;

/**
 * Instance labels: free key/value text that tools keep on an instance (compose's project and service, a user's own
 * notes). Stored verbatim; checked only so that they stay printable and bounded.
 */
public final class Labels {
    public static final int MAX_COUNT = 1000;
    public static final int MAX_KEY = 512;
    public static final int MAX_VALUE = 16 * 1024;
    public static final int MAX_TOTAL = 256 * 1024;

    private Labels() {}

    public static Map<String, String> requireValid(Map<String, String> labels) {
        if (labels.size() > MAX_COUNT) {
            throw VesselException.invalid("labels", labels.size() + " labels; at most " + MAX_COUNT);
        }
        long total = 0;
        for (var e : labels.entrySet()) {
            String k = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue();
            if (k == null || k.isEmpty()) {
                throw VesselException.invalid("labels", "a label needs a key");
            }
            if (k.length() > MAX_KEY || v.length() > MAX_VALUE) {
                throw VesselException.invalid(
                        "labels",
                        "label '" + Names.abbreviate(k) + "' is too long (keys up to " + MAX_KEY
                                + " characters, values up to " + MAX_VALUE + ")");
            }
            if (hasControl(k) || k.contains("=")) {
                throw VesselException.invalid(
                        "labels", "label key '" + Names.abbreviate(k) + "' holds '=' or a control character");
            }
            if (hasControl(v.replace("\n", "").replace("\t", ""))) {
                throw VesselException.invalid("labels", "label '" + Names.abbreviate(k) + "' has a control character");
            }
            total += k.length() + v.length();
        }
        if (total > MAX_TOTAL) {
            throw VesselException.invalid("labels", "the labels add up to more than " + MAX_TOTAL + " characters");
        }
        return labels;
    }

    /** A checked, sorted, unmodifiable copy; a null value is an empty one. */
    public static Map<String, String> copy(Map<String, String> labels) {
        requireValid(labels);
        var sorted = new java.util.TreeMap<String, String>();
        labels.forEach((k, v) -> sorted.put(k, v == null ? "" : v));
        return java.util.Collections.unmodifiableMap(sorted);
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }
}
