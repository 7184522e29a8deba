package dev.vessel.container;

import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * vessel-init ships inside the jar (built from src/main/c by the Maven build) and is written out once per daemon
 * start to a directory on the host. A new version replaces the file by a rename, so containers that run on keep the
 * inode they bound.
 */
public final class InitBinary {
    static final String RESOURCE = "vessel-init";

    private InitBinary() {}

    public static Path install(Path dir) {
        byte[] content;
        try (InputStream in = InitBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("vessel-init is missing from the build (it needs gcc and libc6-dev)");
            }
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vessel-init from the jar", e);
        }
        Path target = dir.resolve(RESOURCE);
        try {
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
                return target;
            }
        } catch (IOException e) {
            // unreadable: write it again
        }
        AtomicFiles.write(target, content, PosixFilePermissions.fromString("r-xr-xr-x"));
        return target;
    }
}
