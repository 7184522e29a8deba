package dev.vessel.access;

import dev.vessel.core.error.VesselException;
import java.util.regex.Pattern;

/** The names access deals in: users, groups and token ids. Validated here, once. */
public final class Names {
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,31}");

    private Names() {}

    public static String user(String name) {
        if (name == null || !USER.matcher(name).matches()) {
            throw VesselException.invalid(
                    "user",
                    "'" + name
                            + "' is not a user name (1-32 of a-z, 0-9, '_', '.', '-'; starting with a letter or '_')");
        }
        return name;
    }

    public static String group(String name) {
        if (name == null || !USER.matcher(name).matches()) {
            throw VesselException.invalid("group", "'" + name + "' is not a group name (as a user name)");
        }
        return name;
    }

    public static String tokenId(String id) {
        if (id == null || !TOKEN.matcher(id).matches()) {
            throw VesselException.invalid(
                    "token", "'" + id + "' is not a token id (a letter, then up to 31 letters, digits, '_', '.', '-')");
        }
        return id;
    }
}
