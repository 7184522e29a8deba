package dev.vessel.core.image;

import java.time.Instant;

/**
 * A VM image: what a VM can be created from. A kernel image has a kernel and initrd (and maybe a root disk); a disk
 * image has only a disk (qcow2, raw, or an ISO that boots as a CD-ROM).
 *
 * @param sizeBytes what the image's files take on disk (a qcow2's allocated clusters, a sparse raw's written blocks)
 * @param readyMarker the line the image's guest prints on its serial console once it is up, if it prints one
 * @param virtualSizeBytes the disk's size as the guest sees it (qemu-img's virtual size); null for an image without a
 *     disk, and for images stored before this was recorded until they are listed
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
        Instant createdAt,
        Long virtualSizeBytes) {

    public Image withSizes(long onDisk, Long virtual) {
        return new Image(
                name, type, kernel, initrd, cmdline, disk, diskFormat, onDisk, readyMarker, createdAt, virtual);
    }

    public enum ImageType {
        kernel,
        disk,
        iso
    }
}
