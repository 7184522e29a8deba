package dev.vessel.access;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The state as one JSON document, readable by root only, replaced atomically (write a new file, rename). */
public final class FileAccessStore implements AccessStore {
    private final Path file;

    public FileAccessStore(Path file) {
        this.file = file;
    }

    @Override
    public AccessState read() {
        if (!Files.exists(file)) {
            return AccessState.EMPTY;
        }
        try {
            return Json.MAPPER.readValue(Files.readString(file), AccessState.class);
        } catch (IOException | RuntimeException e) {
            throw VesselException.host(
                    "cannot read the access state " + file + ": " + e.getMessage()
                            + " (fix or move the file; nothing was changed)",
                    e);
        }
    }

    @Override
    public void write(AccessState state) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw VesselException.host("cannot make " + file.getParent() + ": " + e.getMessage(), e);
        }
        AtomicFiles.writePrivate(file, Json.pretty(state) + "\n");
    }
}
