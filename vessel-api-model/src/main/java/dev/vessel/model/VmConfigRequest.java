package dev.vessel.model;

/**
 * The body of {@code PATCH /api/v1/instances/{name}} for a VM ({@code qm set}): only the keys given change.
 *
 * @param cpus vCPUs; changed while the VM is stopped
 * @param memory RAM, a size such as {@code 512M}; changed while the VM is stopped
 * @param autostart start it when the daemon first starts after the host booted
 * @param restart {@code no}, {@code on-failure[:N]}, {@code always} or {@code unless-stopped}, as Docker's
 * @param virtio a Windows guest has its virtio drivers (virtio-win) installed: its root disk moves to virtio-scsi and
 *     its NICs to virtio-net at the next start; changed while the VM is stopped
 */
public record VmConfigRequest(Integer cpus, String memory, Boolean autostart, String restart, Boolean virtio) {
    public VmConfigRequest(Integer cpus, String memory, Boolean autostart) {
        this(cpus, memory, autostart, null, null);
    }

    public VmConfigRequest(Integer cpus, String memory, Boolean autostart, String restart) {
        this(cpus, memory, autostart, restart, null);
    }
}
