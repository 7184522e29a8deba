package dev.vessel.qemu.image;

import java.nio.file.Path;

/**
 * A built tiny guest. Boot {@code kernel} + {@code initrd} for the diskless guest, or {@code kernel} + {@code diskInitrd}
 * with {@code rootDisk} (qcow2, attach as the first virtio-blk disk, /dev/vda) for the one that keeps state. Both
 * print {@code readyMarker} alone on a line on the serial console (ttyS0) once they are up.
 *
 * @param cmdline the kernel command line; append {@code vessel.hostname=NAME} to name the guest
 */
public record TinyImage(Path kernel, Path initrd, Path diskInitrd, Path rootDisk, String cmdline, String readyMarker) {}
