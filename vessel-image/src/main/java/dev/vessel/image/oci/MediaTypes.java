package dev.vessel.image.oci;

import java.util.Set;

/** The media types of the OCI image spec and of Docker's v2 schema 2 that the store reads. */
public final class MediaTypes {
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
    public static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

    public static final Set<String> CONFIGS = Set.of(OCI_CONFIG, DOCKER_CONFIG);

    /**
     * Layer types are many (foreign, non-distributable, and whatever builders invent); compression is told by magic
     * bytes anyway. What is refused: encrypted layers and anything that is not an image layer at all (artifacts).
     */
    public static boolean isLayer(String mediaType) {
        return (mediaType.startsWith("application/vnd.oci.image.layer.")
                        || mediaType.startsWith("application/vnd.docker.image.rootfs."))
                && !mediaType.endsWith("+encrypted");
    }

    /** What a pull sends as Accept: every manifest kind we can read, so registries do not down-convert. */
    public static final String ACCEPT_MANIFESTS =
            String.join(", ", OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    private MediaTypes() {}
}
