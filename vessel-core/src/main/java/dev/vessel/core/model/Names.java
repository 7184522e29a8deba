package dev.vessel.core.model;

import dev.vessel.core.error.VesselException;
import java.util.regex.Pattern;

/** Instance, image, network and volume names: DNS labels, so that they resolve and are safe in paths. */
public final class Names {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Names() {}

    public static String requireValid(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw VesselException.invalid(field, "a name is required");
        }
        if (name.length() > 63) {
            throw VesselException.invalid(field, "'" + abbreviate(name) + "' is longer than 63 characters");
        }
        if (!LABEL.matcher(name).matches()) {
            throw VesselException.invalid(
                    field,
                    "'" + abbreviate(name)
                            + "' is not a valid name: use lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        return name;
    }

    public static boolean isValid(String name) {
        return name != null && name.length() <= 63 && LABEL.matcher(name).matches();
    }

    static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 70 ? printable.substring(0, 67) + "..." : printable;
    }
}
