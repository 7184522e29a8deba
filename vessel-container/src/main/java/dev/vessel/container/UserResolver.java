package dev.vessel.container;

import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a container's {@code user} ({@code uid}, {@code uid:gid}, {@code name}, {@code name:group}) into numbers with
 * the container's own /etc/passwd and /etc/group, as Docker does: the primary group and home from passwd, the
 * supplementary groups from group. Those files belong to the image, so they are read only when they are plain files
 * (a symlink could point at the host's).
 */
public final class UserResolver {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}\\$?");
    private static final long MAX_FILE = 1 << 20;

    public record User(int uid, int gid, List<Integer> additionalGids, String home) {}

    private UserResolver() {}

    /** Checks the form only, at create time when the rootfs may not be mounted. */
    public static String validate(String user) {
        if (user == null || user.isEmpty()) {
            return null;
        }
        String[] parts = user.split(":", -1);
        if (parts.length > 2
                || !PART.matcher(parts[0]).matches()
                || (parts.length == 2 && !PART.matcher(parts[1]).matches())) {
            throw VesselException.invalid("user", "'" + user + "' is not uid[:gid] or name[:group]");
        }
        for (String p : parts) {
            if (isNumber(p) && Long.parseLong(p) > 0xFFFF_FFFEL) {
                throw VesselException.invalid("user", "'" + p + "' is not a valid id");
            }
        }
        return user;
    }

    public static User resolve(Path rootfs, String user) {
        String spec = user == null || user.isEmpty() ? "0" : validate(user);
        String[] parts = spec.split(":", -1);
        List<String[]> passwd = table(rootfs, "passwd");
        List<String[]> groups = table(rootfs, "group");
        Optional<String[]> pw = passwd.stream()
                .filter(e -> e.length >= 6 && (e[0].equals(parts[0]) || (isNumber(parts[0]) && e[2].equals(parts[0]))))
                .findFirst();
        int uid;
        if (isNumber(parts[0])) {
            uid = (int) Long.parseLong(parts[0]);
        } else {
            uid = pw.map(e -> parseId(e[2]))
                    .orElseThrow(() -> VesselException.invalid(
                            "user", "no user '" + parts[0] + "' in the container's /etc/passwd"));
        }
        int gid;
        if (parts.length == 2) {
            if (isNumber(parts[1])) {
                gid = (int) Long.parseLong(parts[1]);
            } else {
                gid = groups.stream()
                        .filter(g -> g.length >= 3 && g[0].equals(parts[1]))
                        .map(g -> parseId(g[2]))
                        .findFirst()
                        .orElseThrow(() -> VesselException.invalid(
                                "user", "no group '" + parts[1] + "' in the container's /etc/group"));
            }
        } else {
            gid = pw.map(e -> parseId(e[3])).orElse(0);
        }
        var extra = new ArrayList<Integer>();
        String name = pw.map(e -> e[0]).orElse(null);
        if (name != null && parts.length == 1) {
            for (String[] g : groups) {
                if (g.length >= 4 && List.of(g[3].split(",")).contains(name)) {
                    int id = parseId(g[2]);
                    if (id != gid && !extra.contains(id)) {
                        extra.add(id);
                    }
                }
            }
        }
        String home = pw.map(e -> e[5]).filter(h -> h.startsWith("/")).orElse(uid == 0 ? "/root" : "/");
        return new User(uid, gid, extra, home);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() <= 10 && s.chars().allMatch(Character::isDigit);
    }

    private static int parseId(String s) {
        try {
            long v = Long.parseLong(s.strip());
            return v < 0 || v > 0xFFFF_FFFEL ? 0 : (int) v;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<String[]> table(Path rootfs, String name) {
        Path etc = rootfs.resolve("etc");
        Path file = etc.resolve(name);
        try {
            if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)
                    || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || Files.size(file) > MAX_FILE) {
                return List.of();
            }
            var out = new ArrayList<String[]>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.split(":", -1));
                }
            }
            return out;
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }
}
