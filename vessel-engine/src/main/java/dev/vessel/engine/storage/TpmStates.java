package dev.vessel.engine.storage;

import dev.vessel.qemu.VmPaths;
import dev.vessel.qemu.qmp.QmpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A VM's TPM state lives outside QEMU's block layer (swtpm's own file), so snapshots and backups copy it next to the
 * disks themselves: a disk-only snapshot keeps a copy per tag in {@code disks/tpm-snapshots/}, taken while the vCPUs
 * are paused for the disks' tags; a snapshot with RAM needs none, because QEMU saves the TPM's whole state (permanent
 * and volatile) with the RAM and gives it back to swtpm on load. A copy from a running VM is taken with its vCPUs
 * paused, so that no TPM command is half-way through.
 */
final class TpmStates {
    static final String SNAPSHOTS = "tpm-snapshots";

    private TpmStates() {}

    static Path ofSnapshot(VmPaths paths, String tag) {
        return paths.disksDir().resolve(SNAPSHOTS).resolve(tag + ".state");
    }

    /** Copies the current state as the snapshot's; the guest must not be running (paused, or QEMU stopped). */
    static void save(VmPaths paths, String tag) {
        copy(paths.tpmState(), ofSnapshot(paths, tag));
    }

    /** Puts the snapshot's state back, for a stopped VM; a snapshot without one (taken with RAM) changes nothing. */
    static boolean restore(VmPaths paths, String tag) {
        Path saved = ofSnapshot(paths, tag);
        if (!Files.isRegularFile(saved)) {
            return false;
        }
        copy(saved, paths.tpmState());
        return true;
    }

    static void remove(VmPaths paths, String tag) {
        try {
            Files.deleteIfExists(ofSnapshot(paths, tag));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the state of a VM that may be running: its vCPUs are paused for the copy (a few KiB) if they run. */
    static void copyConsistent(QmpClient qmp, Path state, Path to) {
        boolean running = qmp != null && qmp.queryStatus().running();
        if (running) {
            qmp.stop();
        }
        try {
            copy(state, to);
        } finally {
            if (running) {
                qmp.cont();
            }
        }
    }

    /** Copies through a temporary file and a rename, keeping the owner's bits as they are (the VM's uid). */
    static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Path tmp = to.resolveSibling("." + to.getFileName() + ".partial");
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the TPM state " + from + " to " + to, e);
        }
    }
}
