package dev.vessel.image.layer;

/** What to do with OCI whiteout entries ({@code .wh.name}, {@code .wh..wh..opq}). */
public enum WhiteoutMode {
    /** Store them as the empty marker files they are in the tar; for tools that read OCI layers (fuse-overlayfs). */
    KEEP,
    /**
     * Store them the way overlayfs reads a lower dir: a whiteout becomes a 0:0 character device, an opaque marker the
     * {@code trusted.overlay.opaque=y} attribute on its dir. Needs root (mknod, trusted.* xattrs).
     */
    OVERLAY,
    /** Apply them to what lower layers left in the target: used to flatten layers into one rootfs. */
    APPLY
}
