package dev.vessel.image.layer;

/** What to do with OCI whiteout entries ({@code .wh.name}, {@code .wh..wh..opq}). */
public enum WhiteoutMode {
    /** Store them as the empty marker files they are in the tar: a shared layer dir keeps the layer's own content. */
    KEEP,
    /** Apply them to what lower layers left in the target: used to flatten layers into one rootfs. */
    APPLY
}
