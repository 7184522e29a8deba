package dev.vessel.oci;

import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bundle directory: {@code config.json} plus the root filesystem it names. */
public record OciBundle(Path dir) {
    public Path config() {
        return dir.resolve("config.json");
    }

    public Path rootfs() {
        return dir.resolve("rootfs");
    }

    public void write(OciSpec spec) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create bundle " + dir, e);
        }
        AtomicFiles.write(config(), Json.pretty(spec.toJson()) + "\n");
    }
}
