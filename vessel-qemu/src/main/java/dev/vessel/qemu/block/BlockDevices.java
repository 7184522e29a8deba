package dev.vessel.qemu.block;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.qemu.QemuCommandLine;
import dev.vessel.qemu.qmp.QmpClient;
import dev.vessel.qemu.qmp.QmpCommandException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The disks of a running VM: listing them, and plugging and unplugging volumes while the guest runs
 * ({@code blockdev-add} + {@code device_add} onto a free PCIe root port, and {@code device_del} + {@code blockdev-del}).
 */
public final class BlockDevices {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PERIPHERAL = "/machine/peripheral/";

    private BlockDevices() {}

    public static List<BlockDevice> list(QmpClient qmp) {
        var out = new ArrayList<BlockDevice>();
        for (JsonNode b : qmp.execute("query-block")) {
            JsonNode in = b.path("inserted");
            if (in.isMissingNode()) {
                continue;
            }
            String qdev = b.path("qdev").asText("");
            String id = qdev.startsWith(PERIPHERAL)
                    ? qdev.substring(PERIPHERAL.length()).split("/")[0]
                    : qdev;
            out.add(new BlockDevice(
                    id,
                    in.path("node-name").asText(),
                    in.path("file").asText(),
                    in.path("drv").asText(),
                    in.path("ro").asBoolean(),
                    in.path("image").path("virtual-size").asLong()));
        }
        return out;
    }

    /** The device that has {@code file} open as its top image. */
    public static Optional<BlockDevice> byFile(QmpClient qmp, Path file) {
        String f = file.toString();
        return list(qmp).stream().filter(d -> d.file().equals(f)).findFirst();
    }

    /**
     * Opens {@code file} in QEMU and plugs it into the guest as a virtio disk on a free hot-plug port. On any failure
     * what was added is removed again.
     */
    public static BlockDevice plug(QmpClient qmp, Path file, String format, boolean readOnly) {
        if (byFile(qmp, file).isPresent()) {
            throw VesselException.exists("disk", file.toString());
        }
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        String node = "hv" + HexFormat.of().formatHex(b);
        String fileNode = node + "-file";
        var fileArgs = new LinkedHashMap<String, Object>();
        fileArgs.put("driver", "file");
        fileArgs.put("node-name", fileNode);
        fileArgs.put("filename", file.toString());
        fileArgs.put("read-only", readOnly);
        dev.vessel.qemu.QemuFiles.likeItsDirectory(file); // QEMU opens it as the VM's uid
        qmp.execute("blockdev-add", fileArgs);
        try {
            qmp.execute(
                    "blockdev-add",
                    Map.of("driver", format, "node-name", node, "file", fileNode, "read-only", readOnly));
            try {
                deviceAdd(qmp, node);
            } catch (RuntimeException e) {
                quietly(() -> qmp.execute("blockdev-del", Map.of("node-name", node)));
                throw e;
            }
        } catch (RuntimeException e) {
            quietly(() -> qmp.execute("blockdev-del", Map.of("node-name", fileNode)));
            throw e;
        }
        return byFile(qmp, file)
                .orElseThrow(() -> VesselException.host("QEMU took " + file + " but does not list it", null));
    }

    /** Tries each hot-plug port in turn; QEMU refuses an occupied one. */
    private static void deviceAdd(QmpClient qmp, String node) {
        String lastError = null;
        for (int p = 0; p < QemuCommandLine.HOTPLUG_PORTS; p++) {
            try {
                qmp.execute(
                        "device_add",
                        Map.of(
                                "driver",
                                "virtio-blk-pci",
                                "drive",
                                node,
                                "id",
                                node + "-dev",
                                "bus",
                                QemuCommandLine.HOTPLUG_PORT_PREFIX + p));
                return;
            } catch (QmpCommandException e) {
                lastError = e.desc();
            }
        }
        throw VesselException.state("no free hot-plug slot (a VM takes " + QemuCommandLine.HOTPLUG_PORTS
                + " volumes while it runs; restart it to attach more): " + lastError);
    }

    /**
     * Takes the disk that has {@code file} open away from the guest and closes it in QEMU. The guest must release the
     * device (ACPI hot-unplug); a guest that does not within {@code timeout} keeps it, and this fails.
     */
    public static void unplug(QmpClient qmp, Path file, Duration timeout) {
        BlockDevice d = byFile(qmp, file).orElseThrow(() -> VesselException.notFound("disk", file.toString()));
        try {
            qmp.execute("device_del", Map.of("id", d.deviceId()));
        } catch (QmpCommandException e) {
            if (!e.errorClass().equals("DeviceNotFound")) {
                throw e;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (byFile(qmp, file).map(x -> !x.deviceId().isEmpty()).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw VesselException.timeout("the guest did not release " + d.deviceId() + " within "
                        + timeout.toSeconds() + " s; stop the VM to detach it");
            }
            sleep(50);
        }
        release(qmp, d.nodeName());
    }

    /**
     * Closes a format node and its file node; nodes already gone are fine. A node still busy (the guest's native PCIe
     * hot-unplug lets go of the device in steps, and the block backend goes last) is tried again for a few seconds, so
     * that the file is closed, and unlocked, when this returns.
     */
    public static void release(QmpClient qmp, String node) {
        for (String n : List.of(node, node + "-file")) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) {
                try {
                    qmp.execute("blockdev-del", Map.of("node-name", n));
                    break;
                } catch (QmpCommandException e) {
                    String why = e.desc() == null ? "" : e.desc().toLowerCase(java.util.Locale.ROOT);
                    if (!(why.contains("busy") || why.contains("in use")) || System.nanoTime() > deadline) {
                        break; // already gone (or never made): what the caller wants
                    }
                    sleep(50);
                }
            }
        }
    }

    /** Grows (or shrinks) a disk while the guest runs; the guest sees the new size at once. */
    public static void resize(QmpClient qmp, Path file, long size) {
        BlockDevice d = byFile(qmp, file).orElseThrow(() -> VesselException.notFound("disk", file.toString()));
        qmp.execute("block_resize", Map.of("node-name", d.nodeName(), "size", size));
    }

    /** Runs an undo step; its failure is swallowed because the error that caused the undo is the one to report. */
    public static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // best effort while undoing a failed step; the first error is the one reported
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VesselException.state("interrupted");
        }
    }
}
