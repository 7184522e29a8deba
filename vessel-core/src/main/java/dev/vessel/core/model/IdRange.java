package dev.vessel.core.model;

import dev.vessel.core.error.VesselException;

/**
 * A contiguous range of host user and group ids given to one container's user namespace: container ids {@code
 * 0..size-1} are host ids {@code hostId..hostId+size-1} (the same for uids and gids).
 *
 * @param hostId the host id that is root (0) inside the container
 * @param size how many ids are mapped
 */
public record IdRange(long hostId, long size) {
    public IdRange {
        if (hostId <= 0 || size <= 0 || hostId + size - 1 > Integer.MAX_VALUE) {
            throw VesselException.invalid(
                    "usernsRange", "host ids " + hostId + "+" + size + " are not a range of positive ids below 2^31");
        }
    }

    /** The host id that is {@code containerId} inside the container. */
    public int toHost(long containerId) {
        if (containerId < 0 || containerId >= size) {
            throw new IllegalArgumentException("id " + containerId + " is outside the container's " + size + " ids");
        }
        return (int) (hostId + containerId);
    }

    /** Whether {@code hostId} is one of the range's host ids. */
    public boolean containsHost(long id) {
        return id >= hostId && id < hostId + size;
    }

    /** The last host id of the range. */
    public long lastHostId() {
        return hostId + size - 1;
    }
}
