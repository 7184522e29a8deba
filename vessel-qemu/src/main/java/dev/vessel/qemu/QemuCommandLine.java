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

    private QemuCommandLine() {}

    /** QEMU option values escape a comma by doubling it. */
    static String opt(Object value) {
        return value.toString().replace(",", ",,");
    }

    /**
     * @param kvm true to run on KVM, false for TCG
     * @param smbiosUuid the VM's SMBIOS UUID (stable for the VM, new for a clone)
     */
    public static List<String> build(String name, UUID smbiosUuid, VmSpec spec, VmPaths paths, boolean kvm) {
        var a = new ArrayList<String>();
        a.add(QEMU);
        a.addAll(List.of("-name", "guest=" + name + ",debug-threads=on"));
        a.addAll(List.of("-uuid", smbiosUuid.toString()));
        a.addAll(List.of("-machine", "q35"));
        a.addAll(List.of("-accel", kvm ? "kvm" : "tcg,tb-size=" + QemuOverhead.TCG_TB_MIB));
        a.addAll(List.of("-cpu", kvm ? "host" : "max"));
        a.addAll(List.of("-smp", Integer.toString(spec.cpus())));
        a.addAll(List.of("-m", (spec.memoryBytes() >> 20) + "M"));
        a.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-vga", "none"));
        a.addAll(List.of("-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"));
        a.addAll(List.of("-msg", "timestamp=on"));
        a.addAll(List.of("-chardev", "socket,id=qmp,path=" + opt(paths.qmpSocket()) + ",server=on,wait=off"));
        a.addAll(List.of("-mon", "chardev=qmp,mode=control"));
        a.addAll(List.of(
                "-chardev",
                "socket,id=serial0,path=" + opt(paths.consoleSocket()) + ",server=on,wait=off,logfile=" + opt(paths.serialLog())
                        + ",logappend=on"));
        a.addAll(List.of("-serial", "chardev:serial0"));
        a.addAll(List.of("-device", "virtio-balloon-pci,id=balloon0,free-page-reporting=on"));
        a.addAll(List.of("-rtc", "base=utc"));
        Boot boot = spec.boot();
        if (boot.kernel() != null) {
            a.addAll(List.of("-kernel", boot.kernel()));
            if (boot.initrd() != null) {
                a.addAll(List.of("-initrd", boot.initrd()));
            }
            String cmdline = (boot.cmdline() == null ? "" : boot.cmdline() + " ") + "vessel.hostname=" + name;
            a.addAll(List.of("-append", cmdline.strip()));
        }
        int i = 0;
        for (Boot.Disk d : boot.disks()) {
            String node = "disk" + i;
            String ro = d.readOnly() || d.media() == Boot.DiskMedia.cdrom ? "on" : "off";
            a.addAll(List.of("-blockdev", "driver=file,node-name=" + node + "-file,filename=" + d.path() + ",read-only=" + ro));
            a.addAll(List.of("-blockdev", "driver=" + d.format() + ",node-name=" + node + ",file=" + node + "-file,read-only=" + ro));
            if (d.media() == Boot.DiskMedia.cdrom) {
                a.addAll(List.of("-device", "ide-cd,drive=" + node + ",id=" + node + "-dev" + (boot.kernel() == null && i == 0 ? ",bootindex=0" : "")));
            } else {
                a.addAll(List.of("-device", "virtio-blk-pci,drive=" + node + ",id=" + node + "-dev" + (boot.kernel() == null && i == 0 ? ",bootindex=0" : "")));
            }
            i++;
        }
        a.add("-S");
        return List.copyOf(a);
    }
}
