package dev.vessel.host;

import dev.vessel.core.error.VesselException;
import java.nio.file.Path;

/** Keeps paths that come from users inside a root directory. */
public final class PathGuard {
    private PathGuard() {}

    /** Resolves {@code relative} under {@code root} and refuses anything that would leave it. */
    public static Path inside(Path root, String field, String relative) {
        if (relative == null || relative.isEmpty() || relative.indexOf('\0') >= 0) {
            throw VesselException.invalid(field, "a path is required");
        }
        Path base = root.toAbsolutePath().normalize();
        Path p = base.resolve(relative).normalize();
        if (!p.startsWith(base) || p.equals(base)) {
            throw VesselException.invalid(field, "'" + relative + "' lies outside " + base);
        }
        return p;
    }

    /** An absolute host path given by a user, e.g. a kernel to import: must exist, be a regular file, be readable. */
    public static Path existingFile(String field, String path) {
        if (path == null || path.isEmpty() || path.indexOf('\0') >= 0) {
            throw VesselException.invalid(field, "a file path is required");
        }
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            throw VesselException.invalid(field, "'" + path + "' must be an absolute path");
        }
        if (!java.nio.file.Files.isRegularFile(p)) {
            throw VesselException.invalid(field, "'" + path + "' is not a regular file");
        }
        if (!java.nio.file.Files.isReadable(p)) {
            throw VesselException.invalid(field, "'" + path + "' is not readable");
        }
        return p;
    }
}
