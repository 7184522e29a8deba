package dev.vessel.qemu.block;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.qemu.qmp.QmpClient;
import java.util.Map;
import java.util.Optional;

/**
 * The CD-ROM drives of a running VM, as QEMU has them (query-block's removable devices, by their qdev id): eject a
 * medium and put another one in, as Proxmox VE's "change CD/DVD" does.
 */
public final class CdromTrays {
    private CdromTrays() {}

    /** The qdev id of the drive that has {@code file} in it. */
    public static Optional<String> holding(QmpClient qmp, String file) {
        for (JsonNode b : qmp.execute("query-block")) {
            if (b.path("removable").asBoolean()
                    && file.equals(b.path("inserted").path("file").asText(null))) {
                return Optional.of(qdev(b));
            }
        }
        return Optional.empty();
    }

    /** The qdev id of a drive with nothing in it (ejected while the VM runs). */
    public static Optional<String> empty(QmpClient qmp) {
        for (JsonNode b : qmp.execute("query-block")) {
            if (b.path("removable").asBoolean() && !b.has("inserted")) {
                return Optional.of(qdev(b));
            }
        }
        return Optional.empty();
    }

    private static String qdev(JsonNode b) {
        String q = b.path("qdev").asText();
        // QEMU gives "disk1-dev" for a device with an id, or its QOM path for one without
        return q.startsWith("/machine/peripheral/")
                ? q.substring("/machine/peripheral/".length()).split("/")[0]
                : q;
    }

    /** Opens the tray and takes the medium out, even if the guest locked the tray. */
    public static void eject(QmpClient qmp, String qdev) {
        try {
            qmp.execute("eject", Map.of("id", qdev, "force", true), java.time.Duration.ofSeconds(20));
        } catch (VesselException e) {
            if (e.type() != dev.vessel.core.error.ProblemType.TIMEOUT) {
                throw e;
            }
            // QEMU drains the drive's requests first; firmware or a boot loader busy reading it can hold that up
            throw new VesselException(
                    dev.vessel.core.error.ProblemType.TIMEOUT,
                    "the CD-ROM " + qdev + " is busy (the guest is reading from it); try again in a moment",
                    Map.of("drive", qdev),
                    e);
        }
    }

    /** Puts {@code file} (a raw ISO) into the drive and closes the tray; the guest sees a media change. */
    public static void insert(QmpClient qmp, String qdev, String file) {
        try {
            qmp.execute(
                    "blockdev-change-medium",
                    Map.of("id", qdev, "filename", file, "format", "raw", "read-only-mode", "read-only"));
        } catch (dev.vessel.qemu.qmp.QmpCommandException e) {
            throw VesselException.state("QEMU could not put " + file + " into " + qdev + ": " + e.desc());
        }
    }
}
