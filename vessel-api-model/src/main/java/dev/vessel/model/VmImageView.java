package dev.vessel.model;

import dev.vessel.core.image.Image;
import dev.vessel.core.model.ProjectKey;
import java.time.Instant;

/**
 * A VM image as the API shows it: the stored image's fields, {@code name} being its name in its {@code project} (a
 * project with {@code features.images} has images of its own; others use the default project's).
 */
public record VmImageView(
        String name,
        String project,
        Image.ImageType type,
        String kernel,
        String initrd,
        String cmdline,
        String disk,
        String diskFormat,
        long sizeBytes,
        String readyMarker,
        Instant createdAt,
        Long virtualSizeBytes) {

    /** The view of a stored image, whose name is its key ({@code tiny}, {@code tiny.dev}). */
    public static VmImageView of(Image i) {
        var key = ProjectKey.parse(i.name());
        return new VmImageView(
                key.name(),
                key.project(),
                i.type(),
                i.kernel(),
                i.initrd(),
                i.cmdline(),
                i.disk(),
                i.diskFormat(),
                i.sizeBytes(),
                i.readyMarker(),
                i.createdAt(),
                i.virtualSizeBytes());
    }

    /** The engine's key of the image. */
    public String key() {
        return ProjectKey.of(project, name);
    }
}
