package dev.vessel.qemu;

import java.util.regex.Pattern;

/**
 * One NIC as QEMU sees it: a tap that already exists in the namespace QEMU runs in (the VM's own container), and the
 * MAC the guest gets, which is the one its DHCP lease is pinned to.
 *
 * @param index the NIC's stable number (see {@code NicSpec}); QEMU's ids are {@code net<index>} and {@code nic<index>}
 * @param tap the tap's name inside the VM's namespace
 */
public record GuestNic(int index, String tap, String mac) {
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    public GuestNic {
        if (index < 0 || index > 63) {
            throw new IllegalArgumentException("bad NIC index " + index);
        }
        if (tap == null || !IFNAME.matcher(tap).matches()) {
            throw new IllegalArgumentException("bad tap name " + tap);
        }
        if (mac == null || !MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("bad MAC " + mac);
        }
    }

    /**
     * Whether NICs get vhost-net, which moves virtio-net's data path into the kernel: it needs KVM (ioeventfd and
     * irqfd; under TCG QEMU keeps its own path) and a host that has the device (module vhost_net).
     */
    public static boolean vhostNet(boolean kvm) {
        return kvm && java.nio.file.Files.exists(java.nio.file.Path.of("/dev/vhost-net"));
    }

    public String netdevId() {
        return "net" + index;
    }

    public String deviceId() {
        return "nic" + index;
    }

    /** The PCIe root port a NIC given at boot sits behind, so that it can be unplugged while the guest runs. */
    public String portId() {
        return portId(index);
    }

    /** The root port of NIC {@code index}; NICs 0..3 have one at every boot, see {@code QemuCommandLine}. */
    public static String portId(int index) {
        return "nic" + index + "-port";
    }
}
