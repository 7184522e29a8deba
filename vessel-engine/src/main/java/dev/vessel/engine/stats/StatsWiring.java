package dev.vessel.engine.stats;

import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.instance.Drivers;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.store.Database;
import dev.vessel.oci.Cgroups;
import dev.vessel.qemu.QemuVmDriver;
import java.time.Clock;

/** Builds the sampler, the history and the balloon targets, and starts the sampling loop. */
public final class StatsWiring implements AutoCloseable {
    public record Parts(
            Database db,
            InstanceStore instances,
            InstanceOps ops,
            Drivers drivers,
            QemuVmDriver vms,
            EventBus events,
            Clock clock,
            boolean autoBalloon) {}

    private final StatsSampler sampler;
    private final History history;
    private final MemoryTargetOps targets;

    private StatsWiring(Parts p) {
        var memoryTargets = new MemoryTargets(p.db(), p.clock());
        var probes = HostProbes.host();
        history = new History(p.db());
        var collector = new StatsCollector(p.drivers(), p.vms(), Cgroups.host(), probes, memoryTargets, p.clock());
        sampler = new StatsSampler(
                        p.instances(),
                        collector,
                        probes,
                        history,
                        memoryTargets,
                        p.vms(),
                        p.clock(),
                        p.autoBalloon() ? new BalloonPolicy() : null,
                        p.events())
                .start();
        targets = new MemoryTargetOps(p.ops(), p.vms(), memoryTargets, sampler, p.events());
    }

    public static StatsWiring start(Parts p) {
        return new StatsWiring(p);
    }

    public StatsSource source() {
        return sampler;
    }

    public History history() {
        return history;
    }

    public MemoryTargetOps targets() {
        return targets;
    }

    @Override
    public void close() {
        sampler.close();
    }
}
