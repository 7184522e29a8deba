package dev.vessel.engine.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerMount;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.TmpfsMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads {@code -v} and {@code --tmpfs} as Docker writes them, and refuses what would be unsafe or meaningless. */
final class MountSyntax {
    private static final Pattern TMPFS_OPTION = Pattern.compile(
            "size=[0-9]{1,15}[kKmMgG%]?|nr_inodes=[0-9]{1,15}[kKmMgG]?|mode=[0-7]{3,4}|uid=[0-9]{1,10}|gid=[0-9]{1,10}|noexec|exec|nosuid|nodev|ro|rw");

    private MountSyntax() {}

    /** An absolute, normalised path inside the container that a mount may cover. */
    static String target(String field, String path) {
        if (path == null || path.isEmpty() || path.indexOf('\0') >= 0 || path.length() > 4096) {
            throw VesselException.invalid(field, "a path inside the container is required");
        }
        if (!path.startsWith("/")) {
            throw VesselException.invalid(field, "'" + path + "' must be an absolute path inside the container");
        }
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw VesselException.invalid(field, "'" + path + "' must not contain . or ..");
            }
        }
        String norm = Path.of(path).normalize().toString();
        if (norm.equals("/")
                || norm.equals("/proc")
                || norm.startsWith("/proc/")
                || norm.equals("/sys")
                || norm.startsWith("/sys/")
                || norm.equals("/dev")
                || norm.equals("/dev/.vessel-init")) {
            throw VesselException.invalid(field, "'" + path + "' cannot be covered by a mount");
        }
        return norm;
    }

    static TmpfsMount tmpfs(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        String target = target("tmpfs", colon < 0 ? text : text.substring(0, colon));
        var opts = new ArrayList<String>();
        if (colon >= 0) {
            for (String o : text.substring(colon + 1).split(",")) {
                if (o.isEmpty()) {
                    continue;
                }
                if (!TMPFS_OPTION.matcher(o).matches()) {
                    throw VesselException.invalid(
                            "tmpfs",
                            "'" + o
                                    + "' is not a tmpfs option (size=, mode=, uid=, gid=, nr_inodes=, [no]exec, nosuid, nodev, ro, rw)");
                }
                opts.add(o);
            }
        }
        return new TmpfsMount(target, opts);
    }

    /** {@code SOURCE:TARGET[:ro|rw]}: an absolute source is a host path (it must exist), otherwise a volume name. */
    static ContainerMount volume(String text) {
        if (text == null || text.isEmpty()) {
            throw VesselException.invalid("volumes", "a volume is SOURCE:/path[:ro]");
        }
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw VesselException.invalid("volumes", "'" + text + "' is not SOURCE:/path[:ro]");
        }
        boolean ro = false;
        if (parts.length == 3) {
            ro = switch (parts[2]) {
                case "ro" -> true;
                case "rw" -> false;
                default -> throw VesselException.invalid("volumes", "'" + parts[2] + "' is not ro or rw");
            };
        }
        String target = target("volumes", parts[1]);
        String source = parts[0];
        if (source.startsWith("/")) {
            if (source.indexOf('\0') >= 0) {
                throw VesselException.invalid("volumes", "a host path is required");
            }
            Path p = Path.of(source).normalize();
            if (!Files.exists(p)) {
                throw VesselException.invalid("volumes", "the host path '" + source + "' does not exist");
            }
            return new ContainerMount(ContainerMount.Type.BIND, p.toString(), target, ro);
        }
        if (!Names.isValid(source)) {
            throw VesselException.invalid(
                    "volumes",
                    "'" + source
                            + "' is neither an absolute host path nor a volume name (lower-case letters, digits, '-')");
        }
        return new ContainerMount(ContainerMount.Type.VOLUME, source, target, ro);
    }

    static List<String> distinctTargets(List<TmpfsMount> tmpfs, List<ContainerMount> mounts) {
        var seen = new ArrayList<String>();
        for (String t : tmpfs.stream().map(TmpfsMount::target).toList()) {
            add(seen, t);
        }
        for (String t : mounts.stream().map(ContainerMount::target).toList()) {
            add(seen, t);
        }
        return seen;
    }

    private static void add(List<String> seen, String target) {
        if (seen.contains(target)) {
            throw VesselException.invalid("volumes", "two mounts at '" + target + "'");
        }
        seen.add(target);
    }
}
