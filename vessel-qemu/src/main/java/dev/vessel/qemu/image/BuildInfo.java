package dev.vessel.qemu.image;

import java.time.Instant;
import java.util.List;

/**
 * What a tiny image was built from, stored as build.json beside it. The builder compares it with what it would build
 * now to decide whether the existing image can be reused.
 *
 * @param resourcesHash SHA-256 over the layout format and every guest script
 * @param kernelPackage e.g. linux-image-6.1.0-56-cloud-amd64
 * @param kernelRelease the kernel's uname -r inside the guest
 * @param modules the module files init loads, in order
 */
public record BuildInfo(
        String resourcesHash,
        String kernelPackage,
        String kernelPackageVersion,
        String kernelRelease,
        String busyboxVersion,
        List<String> modules,
        String cmdline,
        String readyMarker,
        Instant builtAt) {
    public BuildInfo {
        modules = List.copyOf(modules);
    }
}
