package dev.vessel.model;

import java.util.List;

/**
 * The body of {@code POST /api/v1/vms}. Either {@code image}, or {@code kernel} and/or {@code disks} (absolute paths
 * on the daemon's host, copied into the VM's own directory).
 *
 * @param networks the VM's NICs in guest order; null for the default network, empty for none
 * @param ports published ports, {@code [HOST_IP:]HOST_PORT:PORT[/PROTO]} each
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
        CloudInitRequest cloudInit,
        List<dev.vessel.model.NicRequest> networks,
        List<String> ports,
        String display) {

    /** A request without cloud-init. */
    public VmCreateRequest(
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
            String readyMarker) {
        this(name, image, memory, cpus, accel, stopTimeout, kernel, initrd, cmdline, disks, readyMarker, null);
    }

    /** A request on the default network, publishing nothing. */
    public VmCreateRequest(
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
        this(
                name,
                image,
                memory,
                cpus,
                accel,
                stopTimeout,
                kernel,
                initrd,
                cmdline,
                disks,
                readyMarker,
                cloudInit,
                null,
                null,
                null);
    }

    public record DiskRequest(String path, String format) {}
}
