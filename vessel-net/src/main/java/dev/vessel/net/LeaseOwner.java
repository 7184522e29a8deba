package dev.vessel.net;

import java.util.Objects;

/** Who holds an address: one NIC of one instance. Leases are keyed by this, which makes allocation idempotent. */
public record LeaseOwner(String instanceId, int nic) {
    public LeaseOwner {
        Objects.requireNonNull(instanceId, "instanceId");
        if (instanceId.isEmpty() || nic < 0 || nic > 63) {
            throw new IllegalArgumentException("bad lease owner " + instanceId + "/" + nic);
        }
    }

    @Override
    public String toString() {
        return instanceId + "/nic" + nic;
    }
}
