package dev.vessel.engine.vm;

import dev.vessel.core.driver.InstanceDriver;
import java.nio.file.Path;

/** Builds the tiny guest's files into a directory (see {@code TinyImageBuilder}). */
@FunctionalInterface
public interface TinyBuilder {
    Artifacts build(Path dir, InstanceDriver.Progress progress);

    /** What a build produced: a kernel-and-initramfs guest, and its variant with an ext4 root disk. */
    record Artifacts(Path kernel, Path initrd, Path diskInitrd, Path rootDisk, String cmdline, String readyMarker) {}
}
