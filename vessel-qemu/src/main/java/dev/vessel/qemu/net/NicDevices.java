package dev.vessel.qemu.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.qemu.GuestNic;
import dev.vessel.qemu.QemuCommandLine;
import dev.vessel.qemu.qmp.QmpClient;
import dev.vessel.qemu.qmp.QmpCommandException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The NICs of a running VM: plugging one in ({@code netdev_add} of its tap, then {@code device_add} of a virtio-net on
 * a free hot-plug root port) and taking one out ({@code device_del}, a wait until the guest let go, {@code
 * netdev_del}). The tap must already exist in QEMU's namespace: QEMU has no capabilities and cannot create one.
 */
public final class NicDevices {
    private static final String PERIPHERAL = "/machine/peripheral";

    private NicDevices() {}

    /** The ids of the NIC devices QEMU has ({@code nic0}, ...), plugged at boot or later. */
    public static List<String> list(QmpClient qmp) {
        var out = new ArrayList<String>();
        for (JsonNode p : qmp.execute("qom-list", Map.of("path", PERIPHERAL))) {
            String name = p.path("name").asText();
            if (name.matches("nic\\d+")
                    && (p.path("type").asText().startsWith("child<virtio-net")
                            || p.path("type").asText().startsWith("child<e1000"))) {
                out.add(name);
            }
        }
        return out;
    }

    /** Plugs the NIC in; on a failure, whatever was added is removed again. */
    public static void plug(QmpClient qmp, GuestNic nic, boolean vhost) {
        plug(qmp, nic, vhost, "virtio-net-pci");
    }

    /** @param driver the NIC model of the VM's OS profile ({@code GuestHardware#nicDriver}) */
    public static void plug(QmpClient qmp, GuestNic nic, boolean vhost, String driver) {
        if (list(qmp).contains(nic.deviceId())) {
            throw VesselException.exists("nic", nic.deviceId());
        }
        var netdev = new LinkedHashMap<String, Object>();
        netdev.put("type", "tap");
        netdev.put("id", nic.netdevId());
        netdev.put("ifname", nic.tap());
        netdev.put("script", "no");
        netdev.put("downscript", "no");
        netdev.put("vhost", vhost);
        qmp.execute("netdev_add", netdev);
        try {
            deviceAdd(qmp, nic, driver);
        } catch (RuntimeException e) {
            quietly(() -> qmp.execute("netdev_del", Map.of("id", nic.netdevId())));
            throw e;
        }
    }

    /**
     * Plugs into the NIC's own root port when the VM has one for its index (NICs 0..3: the guest names it as it would
     * at boot, ens18 + index), else tries each shared hot-plug port in turn (volumes share them); QEMU refuses an
     * occupied one.
     */
    private static void deviceAdd(QmpClient qmp, GuestNic nic, String driver) {
        String lastError = null;
        if (nic.index() < QemuCommandLine.NIC_PORTS_AT_BOOT) {
            qmp.execute(
                    "device_add",
                    Map.of(
                            "driver",
                            driver,
                            "id",
                            nic.deviceId(),
                            "netdev",
                            nic.netdevId(),
                            "mac",
                            nic.mac(),
                            "bus",
                            nic.portId()));
            return;
        }
        for (int p = 0; p < QemuCommandLine.HOTPLUG_PORTS; p++) {
            try {
                qmp.execute(
                        "device_add",
                        Map.of(
                                "driver",
                                driver,
                                "id",
                                nic.deviceId(),
                                "netdev",
                                nic.netdevId(),
                                "mac",
                                nic.mac(),
                                "bus",
                                QemuCommandLine.HOTPLUG_PORT_PREFIX + p));
                return;
            } catch (QmpCommandException e) {
                lastError = e.desc();
            }
        }
        throw VesselException.state("no free hot-plug slot (a VM takes " + QemuCommandLine.HOTPLUG_PORTS
                + " hot-plugged NICs and volumes while it runs; add the NIC while it is stopped): " + lastError);
    }

    /**
     * Takes the NIC away from the guest and closes its tap in QEMU. The guest must release the device (ACPI
     * hot-unplug); one that does not within {@code timeout} keeps it, and this fails.
     */
    public static void unplug(QmpClient qmp, int index, Duration timeout) {
        String id = "nic" + index;
        if (list(qmp).contains(id)) {
            try {
                qmp.execute("device_del", Map.of("id", id));
            } catch (QmpCommandException e) {
                if (!e.errorClass().equals("DeviceNotFound")) {
                    throw e;
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (list(qmp).contains(id)) {
                if (System.nanoTime() > deadline) {
                    throw VesselException.timeout("the guest did not release " + id + " within " + timeout.toSeconds()
                            + " s; stop the VM to remove the NIC");
                }
                sleep(50);
            }
        }
        try {
            qmp.execute("netdev_del", Map.of("id", "net" + index));
        } catch (QmpCommandException e) {
            // already gone (or never made): what the caller wants
        }
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // best effort while undoing a failed step; the first error is the one reported
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VesselException.state("interrupted");
        }
    }
}
