package dev.vessel.container;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.IdRange;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The host ids of containers with a user namespace of their own ({@code --userns auto}): each gets {@link #SIZE} ids,
 * the lowest free slot {@code FIRST + n * SIZE}. Far above the VMs' uids (300000.., {@code VmUids}), above the
 * subordinate ids Debian hands out to users (100000 + 65536 per user) and below 2^31, so every id is a positive int
 * wherever it travels. Kept in a file (instance id to first host id), as {@code VmUids} keeps the VMs', so that a
 * container keeps its range across daemon restarts; freed when the container is removed.
 */
public final class UsernsRanges {
    public static final long FIRST = 1_000_000_000L;
    public static final long SIZE = 65_536L;
    /** How many ranges fit between {@link #FIRST} and 2^31 - 1. */
    public static final int SLOTS = (int) ((Integer.MAX_VALUE - FIRST + 1) / SIZE);

    private final Path file;
    private final int slots;
    private final TreeMap<String, Long> byInstance = new TreeMap<>();

    public UsernsRanges(Path file) {
        this(file, SLOTS);
    }

    /** @param slots at most this many ranges (fewer than {@link #SLOTS} only in tests) */
    UsernsRanges(Path file, int slots) {
        this.file = file;
        this.slots = Math.min(slots, SLOTS);
        if (Files.exists(file)) {
            try {
                byInstance.putAll(
                        Json.MAPPER.readValue(Files.readString(file), new TypeReference<Map<String, Long>>() {}));
            } catch (IOException | RuntimeException e) {
                throw VesselException.host(
                        "cannot read the container id-range table " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Gives the container a range of its own (or the one it has). */
    public synchronized IdRange allocate(String instanceId) {
        Long have = byInstance.get(instanceId);
        if (have != null) {
            return new IdRange(have, SIZE);
        }
        var taken = new HashSet<>(byInstance.values());
        for (int n = 0; n < slots; n++) {
            long base = FIRST + n * SIZE;
            if (!taken.contains(base)) {
                byInstance.put(instanceId, base);
                save();
                return new IdRange(base, SIZE);
            }
        }
        throw VesselException.state("all " + slots + " user-namespace id ranges from " + FIRST
                + " are taken; remove a container that has --userns auto");
    }

    /** The container's range, if it has one. */
    public synchronized Optional<IdRange> of(String instanceId) {
        return Optional.ofNullable(byInstance.get(instanceId)).map(b -> new IdRange(b, SIZE));
    }

    /** Frees the container's range. Missing is fine. */
    public synchronized void release(String instanceId) {
        if (byInstance.remove(instanceId) != null) {
            save();
        }
    }

    /** Frees every range whose container is not in {@code instanceIds} (left by a crash in the middle of a create). */
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
