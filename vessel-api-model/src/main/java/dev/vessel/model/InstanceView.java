package dev.vessel.model;

import dev.vessel.core.driver.InstanceUsage;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceSpec;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RuntimeInfo;
import java.time.Instant;

/**
 * How the API shows an instance: the stored facts plus live memory, read when asked. {@code name} is its name in its
 * {@code project}.
 */
public record InstanceView(
        String id,
        String name,
        String project,
        String kind,
        String status,
        InstanceState state,
        String image,
        InstanceSpec spec,
        RuntimeInfo runtime,
        Memory memory,
        Instant createdAt,
        java.util.List<dev.vessel.model.NicView> networks,
        Confinement confinement) {

    /**
     * Memory three ways: the RAM configured for the guest, what the QEMU process holds, and the container cgroup's
     * usage and limit. Container tools show only the last; a VM user needs all three. -1 = not running or unknown.
     */
    public record Memory(long configured, long processRss, long cgroupUsage, long cgroupLimit) {}

    /** A VM's image by its name in the VM's image project (the spec keeps its key); a container's reference. */
    static String image(InstanceSpec spec) {
        return spec instanceof dev.vessel.core.model.VmSpec && spec.image() != null
                ? dev.vessel.core.model.ProjectKey.nameOf(spec.image())
                : spec.image();
    }

    public static InstanceView of(Instance i, InstanceUsage usage) {
        return of(i, usage, java.util.List.of());
    }

    /** @param nics the instance's NICs with the addresses their leases hold (what the guest gets by DHCP) */
    public static InstanceView of(Instance i, InstanceUsage usage, java.util.List<dev.vessel.model.NicView> nics) {
        var mem = usage == null
                ? new Memory(i.spec().memoryBytes(), -1, -1, -1)
                : new Memory(
                        i.spec().memoryBytes(),
                        usage.processRssBytes(),
                        usage.cgroupUsageBytes(),
                        usage.cgroupLimitBytes());
        return new InstanceView(
                i.id(),
                i.shortName(),
                i.project(),
                i.kind().label(),
                i.state().label(),
                i.state(),
                image(i.spec()),
                i.spec(),
                i.runtime(),
                mem,
                i.createdAt(),
                nics,
                null);
    }

    /** The engine's key of the instance (its name, then its project unless that is the default one). */
    public String key() {
        return dev.vessel.core.model.ProjectKey.of(project, name);
    }

    /** The view with its process's confinement, read from /proc when one instance is inspected. */
    public InstanceView withConfinement(Confinement c) {
        return new InstanceView(
                id, name, project, kind, status, state, image, spec, runtime, memory, createdAt, networks, c);
    }
}
