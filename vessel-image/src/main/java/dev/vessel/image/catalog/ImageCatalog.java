package dev.vessel.image.catalog;

import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The store's catalogue: image records and, per namespace, the references (name:tag or name@sha256:...) that point at
 * them. A namespace (a project, as containerd has namespaces) holds the images it names and those it keeps without a
 * name; a record is shared by every namespace that holds it, as are its blobs and layers. Kept behind this interface
 * so the daemon can move it from JSON files into its SQLite database. Implementations must be safe for concurrent use;
 * the store serialises multi-step changes itself.
 */
public interface ImageCatalog {
    /** The namespace of a store that never had others, and of every call that names none. */
    String DEFAULT = "default";

    Optional<ImageRecord> image(Digest id);

    /** Every image record, of every namespace. */
    List<ImageRecord> images();

    void putImage(ImageRecord image);

    void removeImage(Digest id);

    /** Every reference of {@code namespace} and the image id it names, sorted by reference. */
    Map<String, Digest> references(String namespace);

    void putReference(String namespace, String reference, Digest id);

    void removeReference(String namespace, String reference);

    /** The images {@code namespace} holds: those it names and those it keeps without a name. */
    Set<Digest> held(String namespace);

    /** Keeps {@code id} in {@code namespace} without a name (an untagged image stays where it was). */
    void hold(String namespace, Digest id);

    /** {@code namespace} lets go of {@code id}; its references to it must be gone first. */
    void release(String namespace, Digest id);

    /** The namespaces that hold anything. */
    Set<String> namespaces();

    /** Whether any namespace holds {@code id}. */
    default boolean heldAnywhere(Digest id) {
        return namespaces().stream().anyMatch(n -> held(n).contains(id));
    }
}
