package dev.vessel.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.testing.Golden;
import dev.vessel.host.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A VM with two NICs: each a tap opened by name behind its own root port (so it can be unplugged live), with the MAC
 * its DHCP lease is pinned to; its container gets /dev/net/tun (and /dev/vhost-net with vhost), and still no
 * capability.
 */
class QemuNicCommandLineTest {
    static final List<GuestNic> NICS =
            List.of(new GuestNic(0, "vsl-tap0", "0a:56:65:01:02:03"), new GuestNic(2, "vsl-tap2", "0a:56:65:0a:0b:0c"));

    @Test
    void eachNicIsAVirtioNetOnItsOwnRootPortOverANamedTap() throws Exception {
        var argv = QemuCommandLine.build(
                "web",
                QemuCommandLineTest.UUID0,
                QemuCommandLineTest.tinySpec(),
                QemuCommandLineTest.PATHS,
                false,
                NICS,
                false);
        Golden.assertMatches("qemu-nics-tcg.argv", String.join("\n", argv) + "\n");
        assertThat(argv)
                .contains(
                        "tap,id=net0,ifname=vsl-tap0,script=no,downscript=no",
                        "pcie-root-port,id=nic2-port,chassis=66,slot=20",
                        "pcie-root-port,id=nic1-port,chassis=65,slot=19",
                        "virtio-net-pci,netdev=net2,mac=0a:56:65:0a:0b:0c,id=nic2,bus=nic2-port");
        assertThat(argv.stream().filter(a -> a.startsWith("pcie-root-port,id=hp")))
                .hasSize(QemuCommandLine.HOTPLUG_PORTS);
        // native PCIe hot-plug, so that the guest names NIC n by its port's slot: ens18, ens19, ...
        assertThat(argv).containsSubsequence("-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off");
        assertThat(argv.stream().filter(a -> a.startsWith("pcie-root-port,id=nic")))
                .hasSize(4);
        assertThat(QemuCommandLine.guestName(0)).isEqualTo("ens18");
        var vhost = QemuCommandLine.build(
                "web",
                QemuCommandLineTest.UUID0,
                QemuCommandLineTest.tinySpec(),
                QemuCommandLineTest.PATHS,
                true,
                NICS,
                true);
        assertThat(vhost).contains("tap,id=net2,ifname=vsl-tap2,script=no,downscript=no,vhost=on");
    }

    @Test
    void onlyAVmWithNicsGetsTheTunDeviceAndNoCapabilityComesWithIt() throws Exception {
        var argv = QemuCommandLine.build(
                "web",
                QemuCommandLineTest.UUID0,
                QemuCommandLineTest.tinySpec(),
                QemuCommandLineTest.PATHS,
                true,
                NICS,
                true);
        var spec = VmContainerSpec.build(
                "web",
                QemuCommandLineTest.tinySpec(),
                QemuCommandLineTest.PATHS,
                argv,
                true,
                Path.of("/var/lib/vessel/images"),
                "/vessel/vessel-0123456789ab",
                true,
                true,
                VmUids.FIRST);
        assertThat(spec.devices()).containsExactly(VmContainerSpec.KVM, VmContainerSpec.TUN, VmContainerSpec.VHOST_NET);
        assertThat(spec.capabilities()).isEmpty();
        Golden.assertMatches("vm-config-nics-kvm.json", Json.pretty(spec.toJson()) + "\n");
        var none = VmContainerSpec.build(
                "web",
                QemuCommandLineTest.tinySpec(),
                QemuCommandLineTest.PATHS,
                argv,
                false,
                Path.of("/var/lib/vessel/images"),
                "/vessel/vessel-0123456789ab",
                false,
                false,
                VmUids.FIRST);
        assertThat(none.devices()).isEmpty();
    }
}
