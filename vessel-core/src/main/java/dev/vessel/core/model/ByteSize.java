package dev.vessel.core.model;

import dev.vessel.core.error.VesselException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses and prints sizes the way QEMU and Docker users write them: "256M", "1G", "512MiB", "1048576". Suffixes are
 * binary (K = 1024). Parsing is exact: a fraction that is not a whole number of bytes, and any overflow, is refused.
 */
public final class ByteSize {
    private static final Pattern FORM = Pattern.compile("(\\d{1,20})(?:\\.(\\d{1,9}))?\\s*([KMGTPE]?)(I?B)?");

    private ByteSize() {}

    public static long parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw VesselException.invalid(field, "a size is required, such as 256M or 1G");
        }
        var m = FORM.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw VesselException.invalid(
                    field, "'" + text + "' is not a size; use a number with K, M, G or T (binary units), e.g. 256M");
        }
        int shift = switch (m.group(3)) {
            case "" -> 0;
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            case "P" -> 50;
            default -> 60;
        };
        if (m.group(3).isEmpty() && m.group(4) != null && m.group(4).startsWith("I")) {
            throw VesselException.invalid(field, "'" + text + "' is not a size");
        }
        try {
            long whole = Long.parseLong(m.group(1));
            long bytes = Math.multiplyExact(whole, 1L << shift);
            if (m.group(2) != null) {
                var frac =
                        new java.math.BigDecimal("0." + m.group(2)).multiply(java.math.BigDecimal.valueOf(1L << shift));
                if (frac.stripTrailingZeros().scale() > 0) {
                    throw VesselException.invalid(field, "'" + text + "' is not a whole number of bytes");
                }
                bytes = Math.addExact(bytes, frac.longValueExact());
            }
            return bytes;
        } catch (ArithmeticException | NumberFormatException e) {
            throw VesselException.invalid(field, "'" + text + "' is too large (at most " + Long.MAX_VALUE + " bytes)");
        }
    }

    /** Prints a size in the largest binary unit that divides it exactly, e.g. 268435456 -> "256M". */
    public static String format(long bytes) {
        String[] units = {"", "K", "M", "G", "T", "P", "E"};
        int i = 0;
        long v = bytes;
        while (v != 0 && v % 1024 == 0 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return v + units[i];
    }

    /** Prints a size for humans, rounded: "1.5GiB". */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return (v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v)) + units[i];
    }
}
