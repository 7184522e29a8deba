package dev.vessel.qemu;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Firmware;
import dev.vessel.core.model.VmPlatform;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's OVMF builds (package {@code ovmf}), 4 MiB flash layout: a read-only code image shared by every VM, and a
 * variables template each VM gets its own copy of. Secure Boot takes the code built with it (which needs SMM) and the
 * template with Microsoft's keys enrolled.
 */
public record Ovmf(Path code, Path varsTemplate) {
    public static final Path DIR = Path.of("/usr/share/OVMF");

    public static Ovmf of(Firmware f) {
        return switch (f) {
            case BIOS -> throw new IllegalArgumentException("SeaBIOS has no OVMF files");
            case UEFI -> new Ovmf(DIR.resolve("OVMF_CODE_4M.fd"), DIR.resolve("OVMF_VARS_4M.fd"));
            case UEFI_SECURE -> new Ovmf(DIR.resolve("OVMF_CODE_4M.secboot.fd"), Path.of(VmPlatform.DEBIAN_MS_VARS));
        };
    }

    /** Both files exist, or a clear error that names the package. */
    public Ovmf requireInstalled() {
        for (Path p : new Path[] {code, varsTemplate}) {
            if (!Files.isRegularFile(p)) {
                throw VesselException.state(
                        p + " is missing: UEFI guests need Debian's ovmf package (scripts/setup-host installs it)");
            }
        }
        return this;
    }

    /** The size every variables store of this layout has (a user's template must match it). */
    public long varsSize() {
        try {
            return Files.size(varsTemplate);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
