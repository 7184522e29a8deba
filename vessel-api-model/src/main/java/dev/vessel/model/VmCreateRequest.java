package dev.vessel.model;

import java.util.List;

/**
 * The body of {@code POST /api/v1/vms}. Either {@code image}, or {@code kernel} and/or {@code disks} (absolute paths
 * on the daemon's host, copied into the VM's own directory).
 *
 * @param networks the VM's NICs in guest order; null for the default network, empty for none
 * @param ports published ports, {@code [HOST_IP:]HOST_PORT:PORT[/PROTO]} each
 * @param os the OS profile (linux, win10, win11, win2019, win2022, win2025; default linux), which picks the firmware,
 *     the TPM and the devices
 * @param firmware bios, uefi or uefi-secure; null for the OS profile's
 * @param tpm a TPM 2.0 (swtpm); null for the OS profile's (on for win11 and the 2022/2025 servers)
 * @param varsTemplate a UEFI variables file on the daemon's host to copy for this VM instead of Debian's (e.g. one with
 *     the 2023 Microsoft CAs enrolled); it must have the size of OVMF's 4 MiB layout
 * @param cdroms CD-ROMs, each an ISO image's name or an ISO file on the daemon's host (an installer first)
 * @param drivers a second CD for drivers (e.g. virtio-win.iso), as {@code cdroms}
 * @param bootOrder the firmware's boot order, e.g. {@code cdrom,disk}; null for disk then CD-ROM
 * @param unattend an unattended Windows setup (a Windows profile only); never stored
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
        String display,
        String os,
        String firmware,
        Boolean tpm,
        String varsTemplate,
        List<String> cdroms,
        String drivers,
        String bootOrder,
        UnattendRequest unattend) {

    /** Never the unattended setup's password. */
    @Override
    public String toString() {
        return "VmCreateRequest[name=" + name + ", image=" + image + ", os=" + os + ", unattend=" + unattend + "]";
    }

    /** A request without install media. */
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
            CloudInitRequest cloudInit,
            List<dev.vessel.model.NicRequest> networks,
            List<String> ports,
            String display,
            String os,
            String firmware,
            Boolean tpm,
            String varsTemplate) {
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
                networks,
                ports,
                display,
                os,
                firmware,
                tpm,
                varsTemplate,
                null,
                null,
                null,
                null);
    }

    /** A request with the default OS profile and its firmware. */
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
            CloudInitRequest cloudInit,
            List<dev.vessel.model.NicRequest> networks,
            List<String> ports,
            String display) {
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
                networks,
                ports,
                display,
                null,
                null,
                null,
                null);
    }

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

    /**
     * A disk: a file to copy in ({@code path}, with its {@code format} if given), or a blank one of {@code size}
     * (e.g. {@code 64G}) to install an OS on.
     */
    public record DiskRequest(String path, String format, String size) {
        public DiskRequest(String path, String format) {
            this(path, format, null);
        }
    }
}
