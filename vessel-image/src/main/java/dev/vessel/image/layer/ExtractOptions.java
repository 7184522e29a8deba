package dev.vessel.image.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to unpack a layer.
 *
 * @param allowDevices create the character and block devices a layer has; off by default: they are skipped (and reported),
 *     as every container gets its own /dev from the runtime, and a device node elsewhere in an image is a mistake or an
 *     attack. Ordinary root file systems (debootstrap, mmdebstrap) carry /dev/console, /dev/null and friends. Fifos are
 *     always created: they are not devices and need no privilege.
 * @param preserveOwnership chown entries to the tar's uid/gid; only root may, so it defaults to "are we root"
 */
public record ExtractOptions(boolean allowDevices, boolean preserveOwnership, WhiteoutMode whiteouts) {
    /** As root, layer dirs are written for overlayfs; otherwise whiteouts stay OCI marker files. */
    public static ExtractOptions defaults() {
        boolean root = runningAsRoot();
        return new ExtractOptions(false, root, root ? WhiteoutMode.OVERLAY : WhiteoutMode.KEEP);
    }

    public ExtractOptions withWhiteouts(WhiteoutMode mode) {
        return new ExtractOptions(allowDevices, preserveOwnership, mode);
    }

    public ExtractOptions withAllowDevices(boolean allow) {
        return new ExtractOptions(allow, preserveOwnership, whiteouts);
    }

    public static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell our uid from /proc/self", e);
        }
    }
}
