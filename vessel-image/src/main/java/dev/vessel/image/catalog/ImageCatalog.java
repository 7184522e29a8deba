package dev.vessel.image.catalog;

import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store's catalogue: image records and the references (name:tag or name@sha256:...) that point at them. Kept
 * behind this interface so the daemon can move it from JSON files into its SQLite database. Implementations must be
 * safe for concurrent use; the store serialises multi-step changes itself.
 */
public interface ImageCatalog {
    Optional<ImageRecord> image(Digest id);

    List<ImageRecord> images();

    void putImage(ImageRecord image);

    void removeImage(Digest id);

    /** Every reference and the image id it names, sorted by reference. */
    Map<String, Digest> references();

    void putReference(String reference, Digest id);

    void removeReference(String reference);
}
