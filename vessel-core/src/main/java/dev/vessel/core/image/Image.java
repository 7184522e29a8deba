package dev.vessel.core.image;

import java.time.Instant;

/**
 * A VM image: what a VM can be created from. A kernel image has a kernel and initrd (and maybe a root disk); a disk
 * image has only a disk (qcow2, raw, or an ISO that boots as a CD-ROM).
 *
 * @param readyMarker the line the image's guest prints on its serial console once it is up, if it prints one
 */
public record Image(
        String name,
        ImageType type,
        String kernel,
        String initrd,
        String cmdline,
        String disk,
        String diskFormat,
        long sizeBytes,
        String readyMarker,
        Instant createdAt) {

    public enum ImageType {
        kernel,
        disk,
        iso
    }
}
