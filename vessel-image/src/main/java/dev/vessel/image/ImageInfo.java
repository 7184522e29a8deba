package dev.vessel.image;

import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageRecord;
import java.util.List;

/** What {@code list} and {@code inspect} show: the stored record and the references that name it. */
public record ImageInfo(ImageRecord image, List<String> references) {
    public ImageInfo {
        references = List.copyOf(references);
    }

    public Digest id() {
        return image.id();
    }
}
