package dev.vessel.host;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Host ids handed to instances, kept in a file (instance id to the first id of its slot) so that an instance keeps
 * them across starts and daemon restarts: slot {@code n} starts at {@code first + n * size}, the lowest free slot
 * first. The VMs' uids are slots of one id, the user namespaces of containers slots of 65536.
 */
public final class HostIdTable {
    private final Path file;
    private final String what;
    private final String whenFull;
    private final long first;
    private final long size;
    private final int slots;
    private final TreeMap<String, Long> byInstance = new TreeMap<>();

    /**
     * @param what what the table holds, for messages ("VM uid")
     * @param whenFull what to tell when every slot is taken
     */
    public HostIdTable(Path file, String what, long first, long size, int slots, String whenFull) {
        this.file = file;
        this.what = what;
        this.whenFull = whenFull;
        this.first = first;
        this.size = size;
        this.slots = slots;
        if (Files.exists(file)) {
            try {
                byInstance.putAll(
                        Json.MAPPER.readValue(Files.readString(file), new TypeReference<Map<String, Long>>() {}));
            } catch (IOException | RuntimeException e) {
                throw VesselException.host("cannot read the " + what + " table " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The first id of the instance's slot, given it now if it has none. */
    public synchronized long allocate(String instanceId) {
        Long have = byInstance.get(instanceId);
        if (have != null) {
            return have;
        }
        var taken = new HashSet<>(byInstance.values());
        for (int n = 0; n < slots; n++) {
            long base = first + n * size;
            if (!taken.contains(base)) {
                byInstance.put(instanceId, base);
                save();
                return base;
            }
        }
        throw VesselException.state(whenFull);
    }

    public synchronized OptionalLong of(String instanceId) {
        Long have = byInstance.get(instanceId);
        return have == null ? OptionalLong.empty() : OptionalLong.of(have);
    }

    /** Frees the instance's slot; one it does not have is fine. */
    public synchronized void release(String instanceId) {
        if (byInstance.remove(instanceId) != null) {
            save();
        }
    }

    /** Frees every slot whose instance is not in {@code instanceIds} (left by a crash in the middle of a create). */
    public synchronized void retainOnly(Set<String> instanceIds) {
        if (byInstance.keySet().retainAll(instanceIds)) {
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
