package dev.vessel.image;

import java.nio.file.Path;

/**
 * Where things live under the store root:
 * <pre>
 * ROOT/blobs/sha256/&lt;hex&gt;      manifests, configs, layer blobs as received (compressed)
 * ROOT/layers/&lt;diffid-hex&gt;/     unpacked layer trees, shared by every image that has the layer
 * ROOT/catalog/images/&lt;hex&gt;.json  one record per image, named by its config digest (the image id)
 * ROOT/catalog/refs.json         name:tag and name@sha256:... references -> image id
 * ROOT/tmp/                      staging of running imports/pulls; anything else in it is debris
 * </pre>
 * Everything is on one filesystem so that staging → final is a rename.
 */
public record StoreLayout(Path root) {
    public StoreLayout {
        root = root.toAbsolutePath().normalize();
    }

    public Path blobs() {
        return root.resolve("blobs").resolve("sha256");
    }

    public Path layers() {
        return root.resolve("layers");
    }

    public Path catalog() {
        return root.resolve("catalog");
    }

    public Path tmp() {
        return root.resolve("tmp");
    }
}
