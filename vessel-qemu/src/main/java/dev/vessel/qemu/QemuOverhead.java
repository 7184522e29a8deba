package dev.vessel.qemu;

/**
 * The memory a VM's container needs beyond the guest's RAM, so that the cgroup limit never kills a healthy QEMU.
 *
 * <pre>
 *   limit    = guest RAM + overhead
 *   overhead = 80 MiB                      QEMU binary, libraries, heap, I/O buffers, firmware
 *            + guest RAM / 512             page tables and the dirty bitmap
 *            + 8 MiB per vCPU              thread stacks and per-vCPU state
 *            + TCG translation cache       only under TCG; the cache size is fixed on the command line (tb-size)
 * </pre>
 *
 * KubeVirt's virt-launcher overhead is the model (pagetables = RAM/512, ~8 MiB per vCPU, a fixed base); our base is
 * smaller because no libvirt, virtlogd or launcher process shares the container.
 */
public final class QemuOverhead {
    public static final long BASE = 80L << 20;
    public static final long PER_VCPU = 8L << 20;
    public static final int TCG_TB_MIB = 64;
    /** swtpm next to QEMU in a VM's container with a TPM (libtpms and its state; measured in bench/vm-platform). */
    public static final long SWTPM = 24L << 20;

    private QemuOverhead() {}

    public static long overhead(long guestRamBytes, int cpus, boolean tcg) {
        return BASE + guestRamBytes / 512 + PER_VCPU * cpus + (tcg ? (long) TCG_TB_MIB << 20 : 0);
    }

    public static long containerLimit(long guestRamBytes, int cpus, boolean tcg) {
        return guestRamBytes + overhead(guestRamBytes, cpus, tcg);
    }
}
