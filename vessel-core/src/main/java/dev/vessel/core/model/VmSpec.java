package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A VM as the user described it, resolved at create time to concrete files inside the instance's own directory.
 *
 * @param memoryBytes guest RAM
 * @param cpus vCPUs
 * @param accel how the vCPUs run
 * @param stopTimeoutSeconds how long a stop waits for the guest to power off after the ACPI request
 * @param image the key of the image it was created from ({@code tiny}, {@code tiny.dev} for an image of project dev),
 *     or null for explicit kernel/disk files
 * @param boot what QEMU boots
 * @param readyMarker a line the guest prints on its serial console once it is up; null if it prints none
 * @param mac the MAC of the VM's first NIC, kept for its whole life (a clone gets a new one); null in VMs stored
 *            before it existed
 * @param template true once the VM is a template: read-only, never started, the base of linked clones; boxed only so
 *                 that VMs stored before it existed (no such field) read as false, never null
 * @param nics the VM's NICs on managed networks, in guest order (eth0 first); empty for none. VMs stored before
 *             networks existed read as empty: they keep running without a NIC, as they were created
 * @param display its graphics and VNC screen, {@link Display#none} for a serial console only (VMs stored before
 *                displays existed read as none)
 * @param autostart start the VM when the daemon first starts after the host booted (Proxmox VE's {@code onboot});
 *                  boxed so that VMs stored before it existed read as false
 * @param restart what happens when the VM stops without being asked to, as Docker's restart policy: QEMU dying
 *                (a crash, the OOM killer) is a failure, the guest powering itself off is a clean exit; null reads as no
 *
 * @param platform the OS profile, firmware and TPM; VMs stored before it existed read as Linux on SeaBIOS
 */
public record VmSpec(
        long memoryBytes,
        int cpus,
        AccelMode accel,
        int stopTimeoutSeconds,
        String image,
        Boot boot,
        String readyMarker,
        String mac,
        Boolean template,
        java.util.List<NicSpec> nics,
        Display display,
        Boolean autostart,
        RestartPolicy restart,
        VmPlatform platform)
        implements InstanceSpec {
    public static final long MIN_MEMORY = 16L << 20;
    public static final long MAX_MEMORY = 1L << 40;
    public static final int MAX_CPUS = 255;
    public static final int MAX_STOP_TIMEOUT = 3600;

    private static final java.util.regex.Pattern MAC = java.util.regex.Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    @com.fasterxml.jackson.annotation.JsonCreator
    public VmSpec {
        template = Boolean.TRUE.equals(template);
        autostart = Boolean.TRUE.equals(autostart);
        restart = restart == null ? RestartPolicy.NO : restart;
        platform = platform == null ? VmPlatform.LINUX_BIOS : platform;
        display = display == null ? Display.none : display;
        nics = nics == null ? java.util.List.of() : java.util.List.copyOf(nics);
        if (nics.size() > NicSpec.MAX_NICS) {
            throw dev.vessel.core.error.VesselException.invalid(
                    "networks", "at most " + NicSpec.MAX_NICS + " NICs per VM");
        }
        if (mac != null && !MAC.matcher(mac).matches()) {
            throw dev.vessel.core.error.VesselException.invalid("mac", "'" + mac + "' is not a lower-case MAC address");
        }
        if (memoryBytes < MIN_MEMORY || memoryBytes > MAX_MEMORY) {
            throw dev.vessel.core.error.VesselException.invalid(
                    "memory",
                    ByteSize.format(memoryBytes) + " is outside " + ByteSize.format(MIN_MEMORY) + ".."
                            + ByteSize.format(MAX_MEMORY));
        }
        if (memoryBytes % (1L << 20) != 0) {
            throw dev.vessel.core.error.VesselException.invalid("memory", "must be a whole number of MiB");
        }
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw dev.vessel.core.error.VesselException.invalid("cpus", cpus + " is outside 1.." + MAX_CPUS);
        }
        if (stopTimeoutSeconds < 0 || stopTimeoutSeconds > MAX_STOP_TIMEOUT) {
            throw dev.vessel.core.error.VesselException.invalid(
                    "stopTimeout", stopTimeoutSeconds + " is outside 0.." + MAX_STOP_TIMEOUT + " seconds");
        }
        if (accel == null) {
            accel = AccelMode.AUTO;
        }
        java.util.Objects.requireNonNull(boot, "boot");
    }

    /** A VM without a MAC yet and not a template (what every VM was before storage came). */
    public VmSpec(
            long memoryBytes,
            int cpus,
            AccelMode accel,
            int stopTimeoutSeconds,
            String image,
            Boot boot,
            String readyMarker) {
        this(memoryBytes, cpus, accel, stopTimeoutSeconds, image, boot, readyMarker, null, false);
    }

    /** A VM without NICs or a display (what every VM was before managed networks came). */
    public VmSpec(
            long memoryBytes,
            int cpus,
            AccelMode accel,
            int stopTimeoutSeconds,
            String image,
            Boot boot,
            String readyMarker,
            String mac,
            Boolean template) {
        this(memoryBytes, cpus, accel, stopTimeoutSeconds, image, boot, readyMarker, mac, template, null, null);
    }

    /** A VM without autostart (what every VM was before it existed). */
    public VmSpec(
            long memoryBytes,
            int cpus,
            AccelMode accel,
            int stopTimeoutSeconds,
            String image,
            Boot boot,
            String readyMarker,
            String mac,
            Boolean template,
            java.util.List<NicSpec> nics,
            Display display) {
        this(
                memoryBytes,
                cpus,
                accel,
                stopTimeoutSeconds,
                image,
                boot,
                readyMarker,
                mac,
                template,
                nics,
                display,
                false,
                null,
                null);
    }

    /** The same VM with other CPUs and memory (checked as at create). */
    public VmSpec withHardware(int nextCpus, long nextMemory) {
        return edit(e -> {
            e.cpus = nextCpus;
            e.memoryBytes = nextMemory;
        });
    }

    public VmSpec withAutostart(boolean next) {
        return edit(e -> e.autostart = next);
    }

    public VmSpec withRestart(RestartPolicy next) {
        return edit(e -> e.restart = next);
    }

    public VmSpec withDisplay(Display next) {
        return edit(e -> e.display = next);
    }

    public VmSpec withBoot(Boot next) {
        return edit(e -> e.boot = next);
    }

    public VmSpec withMac(String next) {
        return edit(e -> e.mac = next);
    }

    public VmSpec withPlatform(VmPlatform next) {
        return edit(e -> e.platform = next);
    }

    public VmSpec asTemplate() {
        return edit(e -> e.template = true);
    }

    /** The same VM with other NICs; the first NIC's MAC is also the VM's {@link #mac}. */
    public VmSpec withNics(java.util.List<NicSpec> next) {
        return edit(e -> {
            if (next != null && !next.isEmpty() && next.getFirst().mac() != null) {
                e.mac = next.getFirst().mac();
            }
            e.nics = next;
        });
    }

    /** A copy with some components changed, checked again by the canonical constructor. */
    private VmSpec edit(java.util.function.Consumer<Editable> change) {
        var e = new Editable(this);
        change.accept(e);
        return e.build();
    }

    /** The components of a spec being changed by one of the {@code with} methods. */
    private static final class Editable {
        long memoryBytes;
        int cpus;
        final AccelMode accel;
        final int stopTimeoutSeconds;
        final String image;
        Boot boot;
        final String readyMarker;
        String mac;
        boolean template;
        java.util.List<NicSpec> nics;
        Display display;
        boolean autostart;
        RestartPolicy restart;
        VmPlatform platform;

        Editable(VmSpec s) {
            memoryBytes = s.memoryBytes;
            cpus = s.cpus;
            accel = s.accel;
            stopTimeoutSeconds = s.stopTimeoutSeconds;
            image = s.image;
            boot = s.boot;
            readyMarker = s.readyMarker;
            mac = s.mac;
            template = s.template;
            nics = s.nics;
            display = s.display;
            autostart = s.autostart;
            restart = s.restart;
            platform = s.platform;
        }

        VmSpec build() {
            return new VmSpec(
                    memoryBytes,
                    cpus,
                    accel,
                    stopTimeoutSeconds,
                    image,
                    boot,
                    readyMarker,
                    mac,
                    template,
                    nics,
                    display,
                    autostart,
                    restart,
                    platform);
        }
    }

    @Override
    @JsonIgnore
    public InstanceKind kind() {
        return InstanceKind.VM;
    }
}
