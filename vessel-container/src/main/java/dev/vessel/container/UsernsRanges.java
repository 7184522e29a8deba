package dev.vessel.container;

import dev.vessel.core.model.IdRange;
import dev.vessel.host.HostIdTable;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

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

    private final HostIdTable table;

    public UsernsRanges(Path file) {
        this(file, SLOTS);
    }

    /** @param slots at most this many ranges (fewer than {@link #SLOTS} only in tests) */
    UsernsRanges(Path file, int slots) {
        int n = Math.min(slots, SLOTS);
        this.table = new HostIdTable(
                file,
                "container id-range",
                FIRST,
                SIZE,
                n,
                "all " + n + " user-namespace id ranges from " + FIRST
                        + " are taken; remove a container that has --userns auto");
    }

    /** Gives the container a range of its own (or the one it has). */
    public IdRange allocate(String instanceId) {
        return new IdRange(table.allocate(instanceId), SIZE);
    }

    /** The container's range, if it has one. */
    public Optional<IdRange> of(String instanceId) {
        var base = table.of(instanceId);
        return base.isPresent() ? Optional.of(new IdRange(base.getAsLong(), SIZE)) : Optional.empty();
    }

    /** Frees the container's range. Missing is fine. */
    public void release(String instanceId) {
        table.release(instanceId);
    }

    /** Frees every range whose container is not in {@code instanceIds} (left by a crash in the middle of a create). */
    public void retainOnly(Set<String> instanceIds) {
        table.retainOnly(instanceIds);
    }
}
