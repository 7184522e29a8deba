package dev.vessel.image.layer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to unpack a layer.
 *
 * @param allowDevices create char/block devices and fifos; off by default because the daemon runs unprivileged
 *     images, where a device node in a layer is either a mistake or an attack
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
