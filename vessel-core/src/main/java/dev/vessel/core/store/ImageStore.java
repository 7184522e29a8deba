package dev.vessel.core.store;

import dev.vessel.core.image.Image;
import java.util.List;
import java.util.Optional;

/** The catalogue of VM images (kernel, initrd and disk files kept under the data dir). */
public interface ImageStore {
    void insert(Image image);

    Optional<Image> byName(String name);

    List<Image> list();

    void delete(String name);
}
