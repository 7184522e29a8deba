package dev.vessel.qemu;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host uid each VM's QEMU runs as: one of its own, so that one VM's QEMU cannot touch another's disks, sockets or
 * process, and none is root. Uids come from {@link #FIRST}.. (past the 100000-165535 that Debian gives to the first
 * user's subordinate ids, and past any regular account), the lowest free one first; the assignment is kept in a file
 * so that a VM keeps its uid across starts and daemon restarts, and goes when the VM is removed.
 */
public final class VmUids {
    public static final int FIRST = 300_000;
    public static final int COUNT = 65_536;

    private final Path file;
    private final TreeMap<String, Integer> byInstance = new TreeMap<>();

    public VmUids(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                byInstance.putAll(
                        Json.MAPPER.readValue(Files.readString(file), new TypeReference<Map<String, Integer>>() {}));
            } catch (IOException | RuntimeException e) {
                throw VesselException.host("cannot read the VM uid table " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The VM's uid (its gid is the same), given it now if it has none. */
    public synchronized int of(String instanceId) {
        Integer have = byInstance.get(instanceId);
        if (have != null) {
            return have;
        }
        var taken = new java.util.HashSet<>(byInstance.values());
        for (int uid = FIRST; uid < FIRST + COUNT; uid++) {
            if (!taken.contains(uid)) {
                byInstance.put(instanceId, uid);
                save();
                return uid;
            }
        }
        throw VesselException.host("all " + COUNT + " VM uids from " + FIRST + " are taken", null);
    }

    public synchronized void release(String instanceId) {
        if (byInstance.remove(instanceId) != null) {
            save();
        }
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw VesselException.host("cannot make " + file.getParent() + ": " + e.getMessage(), e);
        }
        AtomicFiles.writePrivate(file, Json.write(byInstance) + "\n");
    }
}
