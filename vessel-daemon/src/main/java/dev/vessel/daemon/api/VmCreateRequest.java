package dev.vessel.daemon.api;

import java.util.List;

/**
 * The body of {@code POST /api/v1/vms}. Either {@code image}, or {@code kernel} and/or {@code disks} (absolute paths
 * on the daemon's host, copied into the VM's own directory).
 */
public record VmCreateRequest(
        String name,
        String image,
        String memory,
        Integer cpus,
        String accel,
        Integer stopTimeout,
        String kernel,
        String initrd,
        String cmdline,
        List<DiskRequest> disks,
        String readyMarker,
        CloudInitRequest cloudInit) {

    /** A request without cloud-init. */
    public VmCreateRequest(String name, String image, String memory, Integer cpus, String accel, Integer stopTimeout, String kernel,
            String initrd, String cmdline, List<DiskRequest> disks, String readyMarker) {
        this(name, image, memory, cpus, accel, stopTimeout, kernel, initrd, cmdline, disks, readyMarker, null);
    }

    public record DiskRequest(String path, String format) {}
}
