package dev.vessel.net;

import java.util.Objects;

/**
 * What an instance's NIC asks of a network.
 *
 * @param owner the NIC (instance id + index); allocation is idempotent per owner
 * @param hostname the instance's key ({@code web}, or {@code web.dev} in project dev), which will resolve to the address
 * @param address a static address (the user's {@code --ip}), or null for the next free one
 * @param mac a user-given MAC, or null for a generated one
 */
public record AllocationRequest(LeaseOwner owner, String hostname, Ipv4 address, MacAddress mac) {
    public AllocationRequest {
        Objects.requireNonNull(owner, "owner");
        dev.vessel.core.model.ProjectKey.parse("name", hostname);
    }

    public static AllocationRequest dynamic(LeaseOwner owner, String hostname) {
        return new AllocationRequest(owner, hostname, null, null);
    }
}
