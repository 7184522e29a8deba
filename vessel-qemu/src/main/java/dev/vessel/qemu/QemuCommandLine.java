package dev.vessel.qemu;

import dev.vessel.core.model.Boot;
import dev.vessel.core.model.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds QEMU's argument vector for a VM. QEMU starts paused ({@code -S}) and is driven only through QMP; the serial
 * console is a socket the daemon can attach to, and QEMU itself keeps its log, so the log goes on while the daemon is
 * down.
 */
public final class QemuCommandLine {
    public static final String QEMU = "/usr/bin/qemu-system-x86_64";
    /** Free root ports every VM gets for hot-plugged volumes: at most this many plugs per boot. */
    public static final int HOTPLUG_PORTS = 4;
    /** The ports' ids: {@code hp0}, {@code hp1}, ... */
    public static final String HOTPLUG_PORT_PREFIX = "hp";
    /** Chassis numbers above the data disks' (at most 16), which use chassis 1..16. */
    private static final int HOTPLUG_CHASSIS = 32;
    /** Chassis numbers of the NICs' root ports: 64 + the NIC's index (0..63). */
    private static final int NIC_CHASSIS = 64;
    /**
     * The PCI slot number of NIC n's root port is 18 + n, so that a guest with systemd's predictable names calls NIC 0
     * {@code ens18}, NIC 1 {@code ens19}, ...: Proxmox VE's names, which its users and many images expect.
     */
    public static final int NIC_SLOT_BASE = 18;
    /** NICs 0..3 have a root port of their own at every boot, plugged or empty, so a hot-plugged one keeps its name. */
    public static final int NIC_PORTS_AT_BOOT = 4;

    private QemuCommandLine() {}

    /** QEMU option values escape a comma by doubling it. */
    static String opt(Object value) {
        return value.toString().replace(",", ",,");
    }

    /**
     * @param kvm true to run on KVM, false for TCG
     * @param smbiosUuid the VM's SMBIOS UUID (stable for the VM, new for a clone)
     */
    /**
     * A display: the card, a USB tablet (an absolute pointer, so the browser's cursor and the guest's agree), and
     * QEMU's VNC server on a unix socket, with a password that nobody knows until the daemon sets a one-time one over
     * QMP for a console ticket (until then every VNC login fails).
     */
    static void display(List<String> a, dev.vessel.core.model.Display d, VmPaths paths) {
        if (d == dev.vessel.core.model.Display.none) {
            return;
        }
        a.addAll(List.of(
                "-device", d == dev.vessel.core.model.Display.virtio ? "virtio-vga,id=video0" : "VGA,id=video0"));
        a.addAll(List.of("-device", "usb-tablet,bus=usb0.0"));
        a.addAll(List.of("-vnc", "unix:" + opt(paths.vncSocket()) + ",password=on"));
    }

    public static List<String> build(String name, UUID smbiosUuid, VmSpec spec, VmPaths paths, boolean kvm) {
        return build(name, smbiosUuid, spec, paths, kvm, List.of(), false);
    }

    /**
     * @param nics taps that exist in QEMU's namespace when it starts, one virtio-net NIC each
     * @param vhost move the NICs' data path into the kernel (vhost-net); only where /dev/vhost-net exists
     */
    public static List<String> build(
            String name, UUID smbiosUuid, VmSpec spec, VmPaths paths, boolean kvm, List<GuestNic> nics, boolean vhost) {
        return build(name, smbiosUuid, spec, paths, kvm, nics, vhost, List.of());
    }

    /**
     * @param hyperv the Hyper-V enlightenments to give a Windows guest, those the host accepted when probed
     *     ({@link HypervProbe}); empty for other guests
     */
    public static List<String> build(
            String name,
            UUID smbiosUuid,
            VmSpec spec,
            VmPaths paths,
            boolean kvm,
            List<GuestNic> nics,
            boolean vhost,
            List<String> hyperv) {
        var platform = spec.platform();
        var hw = GuestHardware.of(platform);
        var a = new ArrayList<String>();
        a.add(QEMU);
        a.addAll(List.of("-name", "guest=" + name + ",debug-threads=on"));
        a.addAll(List.of("-uuid", smbiosUuid.toString()));
        a.addAll(List.of("-machine", machine(spec)));
        firmware(a, spec);
        // Native PCIe hot-plug rather than ACPI's (QEMU's default since 6.1): with ACPI hot-plug the guest sees every
        // root port's slot as 0 and names NICs by bus path (enp1s0, which moves when ports change); natively, the
        // root port's own slot number names it (ens18). Proxmox VE does the same for its q35 guests.
        a.addAll(List.of("-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"));
        a.addAll(List.of("-accel", kvm ? "kvm" : "tcg,tb-size=" + QemuOverhead.TCG_TB_MIB));
        a.addAll(List.of("-cpu", (kvm ? "host" : "max") + (hyperv.isEmpty() ? "" : "," + String.join(",", hyperv))));
        a.addAll(List.of("-smp", Integer.toString(spec.cpus())));
        a.addAll(List.of("-m", (spec.memoryBytes() >> 20) + "M"));
        a.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-vga", "none"));
        if (spec.display() != dev.vessel.core.model.Display.none
                || spec.boot().disks().stream().anyMatch(d -> d.media() == Boot.DiskMedia.usb)) {
            a.addAll(List.of("-device", "qemu-xhci,id=usb0"));
        }
        display(a, spec.display(), paths);
        a.addAll(List.of("-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"));
        a.addAll(List.of("-msg", "timestamp=on"));
        a.addAll(List.of("-chardev", "socket,id=qmp,path=" + opt(paths.qmpSocket()) + ",server=on,wait=off"));
        a.addAll(List.of("-mon", "chardev=qmp,mode=control"));
        a.addAll(List.of(
                "-chardev",
                "socket,id=serial0,path=" + opt(paths.consoleSocket()) + ",server=on,wait=off,logfile="
                        + opt(paths.serialLog()) + ",logappend=on"));
        a.addAll(List.of("-serial", "chardev:serial0"));
        a.addAll(List.of("-device", "virtio-balloon-pci,id=balloon0,free-page-reporting=on"));
        // The guest agent's channel, for every guest: qemu-ga finds the port by its name, and a guest without an agent
        // just leaves it closed.
        a.addAll(List.of(
                "-device",
                "virtio-serial-pci,id=vser0",
                "-chardev",
                "socket,id=" + dev.vessel.qemu.qga.GuestAgent.CHARDEV + ",path=" + opt(paths.agentSocket())
                        + ",server=on,wait=off",
                "-device",
                "virtserialport,bus=vser0.0,chardev=" + dev.vessel.qemu.qga.GuestAgent.CHARDEV + ",name="
                        + dev.vessel.qemu.qga.GuestAgent.PORT_NAME));
        a.addAll(List.of("-rtc", "base=" + hw.rtcBase()));
        if (hw.windows()) {
            // S3/S4 leave a Windows guest hung or with a lost device under QEMU; Proxmox VE turns them off too.
            a.addAll(List.of("-global", "ICH9-LPC.disable_s3=1", "-global", "ICH9-LPC.disable_s4=1"));
        }
        tpm(a, spec, paths);
        Boot boot = spec.boot();
        if (boot.kernel() != null) {
            a.addAll(List.of("-kernel", boot.kernel()));
            if (boot.initrd() != null) {
                a.addAll(List.of("-initrd", boot.initrd()));
            }
            String cmdline = (boot.cmdline() == null ? "" : boot.cmdline() + " ") + "vessel.hostname="
                    + dev.vessel.core.model.ProjectKey.nameOf(name);
            a.addAll(List.of("-append", cmdline.strip()));
        }
        var bootIndex = bootIndexes(spec);
        int root = rootDisk(boot);
        // q35's AHCI controller has six ports (ide.0 .. ide.5), one device each: SATA disks and CD-ROMs take them in
        // turn.
        int sata = 0;
        int i = 0;
        for (Boot.Disk d : boot.disks()) {
            String node = "disk" + i;
            String ro = d.readOnly() || !d.media().holdsData() ? "on" : "off";
            a.addAll(List.of(
                    "-blockdev", "driver=file,node-name=" + node + "-file,filename=" + d.path() + ",read-only=" + ro));
            a.addAll(List.of(
                    "-blockdev",
                    "driver=" + d.format() + ",node-name=" + node + ",file=" + node + "-file,read-only=" + ro));
            String order = bootIndex.containsKey(i) ? ",bootindex=" + bootIndex.get(i) : "";
            if (d.media() == Boot.DiskMedia.efivars) {
                // the machine's pflash1 (see machine()); no device of its own
            } else if (d.media() == Boot.DiskMedia.usb) {
                a.addAll(List.of(
                        "-device", "usb-storage,bus=usb0.0,drive=" + node + ",id=" + node + "-dev,removable=on"));
            } else if (d.media() == Boot.DiskMedia.cdrom) {
                a.addAll(List.of(
                        "-device", "ide-cd,drive=" + node + ",id=" + node + "-dev,bus=" + ahci(sata++) + order));
            } else if (i == root && hw.rootDiskOnScsi()) {
                a.addAll(List.of("-device", "virtio-scsi-pci,id=scsi0"));
                a.addAll(List.of("-device", "scsi-hd,bus=scsi0.0,drive=" + node + ",id=" + node + "-dev" + order));
            } else if (i == root) {
                a.addAll(List.of(
                        "-device",
                        hw.rootDiskDriver() + ",drive=" + node + ",id=" + node + "-dev"
                                + (hw.rootDiskOnPci() ? "" : ",bus=" + ahci(sata++)) + order));
            } else {
                // Data disks sit behind their own PCIe root port, the only place on q35 a device can be unplugged from.
                a.addAll(List.of("-device", "pcie-root-port,id=" + node + "-port,chassis=" + i));
                a.addAll(List.of(
                        "-device", "virtio-blk-pci,drive=" + node + ",id=" + node + "-dev,bus=" + node + "-port"));
            }
            i++;
        }
        // NICs sit behind their own root port as data disks do, so that they can be unplugged while the guest runs; the
        // port's slot number gives the guest its name (ens18 + index). NICs 0..3 get a port even when absent, for a
        // hot-plug under the same name.
        var byIndex = new java.util.TreeMap<Integer, GuestNic>();
        nics.forEach(n -> byIndex.put(n.index(), n));
        for (int n = 0; n < NIC_PORTS_AT_BOOT; n++) {
            byIndex.putIfAbsent(n, null);
        }
        for (var e : byIndex.entrySet()) {
            int index = e.getKey();
            GuestNic n = e.getValue();
            if (n != null) {
                a.addAll(List.of("-netdev", netdev(n, vhost)));
            }
            a.addAll(List.of("-device", nicPort(index)));
            if (n != null) {
                a.addAll(List.of(
                        "-device",
                        hw.nicDriver() + ",netdev=" + n.netdevId() + ",mac=" + n.mac() + ",id=" + n.deviceId() + ",bus="
                                + n.portId()
                                + (index == 0 && bootIndex.containsKey(NET)
                                        ? ",bootindex=" + bootIndex.get(NET)
                                        : "")));
            }
        }
        // Empty root ports for volumes hot-plugged while the VM runs (q35's root bus itself takes no hot-plug).
        for (int p = 0; p < HOTPLUG_PORTS; p++) {
            a.addAll(List.of(
                    "-device", "pcie-root-port,id=" + HOTPLUG_PORT_PREFIX + p + ",chassis=" + (HOTPLUG_CHASSIS + p)));
        }
        a.add("-S");
        return List.copyOf(a);
    }

    /** The index of the first disk (not a CD-ROM, not the variables store), the one the guest boots from; -1 if none. */
    static int rootDisk(Boot boot) {
        for (int i = 0; i < boot.disks().size(); i++) {
            if (boot.disks().get(i).media() == Boot.DiskMedia.disk) {
                return i;
            }
        }
        return -1;
    }

    /** The key of NIC 0 in {@link #bootIndexes}: it boots from the network (PXE) when the order names {@code net}. */
    static final int NET = -1;

    /**
     * The firmware's boot order as QEMU's bootindex, by disk index ({@link #NET} for the first NIC), from the VM's
     * order ({@code disk}: the root disk; {@code cdrom}: every CD-ROM in turn; {@code net}: NIC 0). The default,
     * disk before CD-ROM, is Proxmox VE's: a blank disk is skipped, so an install boots from its CD, and once the OS
     * is on the disk it boots from there though the ISO is still in. A VM booted from a kernel has none.
     */
    static java.util.Map<Integer, Integer> bootIndexes(VmSpec spec) {
        var out = new java.util.HashMap<Integer, Integer>();
        Boot boot = spec.boot();
        if (boot.kernel() != null) {
            return out;
        }
        int next = 0;
        for (String kind : spec.platform().bootOrder()) {
            switch (kind) {
                case "disk" -> {
                    int root = rootDisk(boot);
                    if (root >= 0) {
                        out.put(root, next++);
                    }
                }
                case "cdrom" -> {
                    for (int i = 0; i < boot.disks().size(); i++) {
                        if (boot.disks().get(i).media() == Boot.DiskMedia.cdrom) {
                            out.put(i, next++);
                        }
                    }
                }
                case "net" -> out.put(NET, next++);
                default -> throw new IllegalArgumentException("unknown boot device " + kind);
            }
        }
        return out;
    }

    static String ahci(int port) {
        if (port > 5) {
            throw dev.vessel.core.error.VesselException.invalid(
                    "disks", "q35 has six SATA ports; this VM wants more SATA disks and CD-ROMs than that");
        }
        return "ide." + port;
    }

    /** The node name of the UEFI variables store: {@code disk<index>}, as every disk's. */
    static String varsNode(Boot boot) {
        var d = boot.efivars().orElseThrow();
        return "disk" + boot.disks().indexOf(d);
    }

    /**
     * q35 always; a UEFI VM's two flash chips are the shared code (read-only) and its own variables store; Secure Boot
     * needs SMM, so that only the firmware can write the variables; Windows gets no HPET (it keeps time better
     * without, as Proxmox VE and libvirt's defaults have it).
     */
    static String machine(VmSpec spec) {
        var m = new StringBuilder("q35");
        var platform = spec.platform();
        if (platform.firmware().uefi()) {
            if (spec.boot().efivars().isEmpty()) {
                throw dev.vessel.core.error.VesselException.state(
                        "this UEFI VM has no variables store among its disks; recreate it or restore it from a backup");
            }
            m.append(",pflash0=fw-code,pflash1=").append(varsNode(spec.boot()));
        }
        if (platform.firmware() == dev.vessel.core.model.Firmware.UEFI_SECURE) {
            m.append(",smm=on");
        }
        if (platform.os().windows()) {
            m.append(",hpet=off");
        }
        return m.toString();
    }

    /** The OVMF code image, read-only; with Secure Boot its flash only takes writes from SMM. */
    static void firmware(List<String> a, VmSpec spec) {
        var f = spec.platform().firmware();
        if (!f.uefi()) {
            return;
        }
        var ovmf = Ovmf.of(f);
        a.addAll(List.of(
                "-blockdev",
                "driver=file,node-name=fw-code-file,filename=" + opt(ovmf.code()) + ",read-only=on",
                "-blockdev",
                "driver=raw,node-name=fw-code,file=fw-code-file,read-only=on"));
        if (f == dev.vessel.core.model.Firmware.UEFI_SECURE) {
            a.addAll(List.of("-global", "driver=cfi.pflash01,property=secure,value=on"));
        }
    }

    /**
     * TPM 2.0 through swtpm, which the driver starts in the VM's own container before QEMU and which ends with it; CRB
     * is the interface Windows 11 and Linux use for TPM 2.0 (TIS is for 1.2-era guests).
     */
    static void tpm(List<String> a, VmSpec spec, VmPaths paths) {
        if (!spec.platform().tpm()) {
            return;
        }
        a.addAll(List.of(
                "-chardev",
                "socket,id=tpmchar,path=" + opt(paths.swtpmSocket()),
                "-tpmdev",
                "emulator,id=tpm0,chardev=tpmchar",
                "-device",
                "tpm-crb,tpmdev=tpm0,id=tpm0-dev"));
    }

    /** The root port of NIC {@code index}: its own chassis, and the slot number the guest names the NIC by. */
    static String nicPort(int index) {
        return "pcie-root-port,id=" + GuestNic.portId(index) + ",chassis=" + (NIC_CHASSIS + index) + ",slot="
                + (NIC_SLOT_BASE + index);
    }

    /** The name systemd's predictable naming gives NIC {@code index} in the guest. */
    public static String guestName(int index) {
        return "ens" + (NIC_SLOT_BASE + index);
    }

    /**
     * The tap backend: QEMU opens an existing tap by name (it may not create one: it has no capabilities) and runs
     * no helper scripts (its sandbox forbids spawning anyway).
     */
    static String netdev(GuestNic n, boolean vhost) {
        return "tap,id=" + n.netdevId() + ",ifname=" + n.tap() + ",script=no,downscript=no"
                + (vhost ? ",vhost=on" : "");
    }
}
