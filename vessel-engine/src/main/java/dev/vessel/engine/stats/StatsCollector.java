package dev.vessel.engine.stats;

import dev.vessel.container.ContainerHostLayout;
import dev.vessel.core.driver.InstanceUsage;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.engine.instance.Drivers;
import dev.vessel.model.InstanceStats;
import dev.vessel.oci.Cgroups;
import dev.vessel.qemu.QemuVmDriver;
import dev.vessel.qemu.VmHostLayout;
import dev.vessel.qemu.stats.VmCounters;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one running instance's counters: the cgroup (CPU, memory, block I/O), /proc (RSS, the guest RAM mapping, the
 * network devices of its namespace, vCPU threads) and, for a VM, QEMU over QMP (balloon, guest memory, disks).
 */
final class StatsCollector {
    private final Drivers drivers;
    private final QemuVmDriver vms;
    private final Cgroups cgroups;
    private final HostProbes probes;
    private final MemoryTargets targets;
    private final Clock clock;

    StatsCollector(
            Drivers drivers, QemuVmDriver vms, Cgroups cgroups, HostProbes probes, MemoryTargets targets, Clock clock) {
        this.drivers = drivers;
        this.vms = vms;
        this.cgroups = cgroups;
        this.probes = probes;
        this.targets = targets;
        this.clock = clock;
    }

    /** A sample with {@code cpuPercent} 0 (the sampler computes it from two samples); empty if not running. */
    Optional<InstanceStats> collect(Instance i) {
        Optional<InstanceUsage> usage = drivers.of(i.kind()).usage(i);
        if (usage.isEmpty() || usage.get().pid() <= 0) {
            return Optional.empty();
        }
        InstanceUsage u = usage.get();
        long pid = u.pid();
        boolean vm = i.kind() == InstanceKind.VM;
        String cg = vm ? VmHostLayout.cgroupsPath(i.id()) : ContainerHostLayout.cgroupsPath(i.id());
        long cpu = cgroups.cpuUsageNanos(cg).orElse(-1);
        long[] net = probes.netDev(pid);
        String kind = i.kind().name().toLowerCase(Locale.ROOT);
        if (!vm) {
            long[] io = cgroups.io(cg).orElse(new long[] {-1, -1, -1, -1});
            var mem = new InstanceStats.Memory(
                    i.spec().memoryBytes(),
                    -1,
                    -1,
                    -1,
                    -1,
                    -1,
                    -1,
                    u.processRssBytes(),
                    -1,
                    -1,
                    u.cgroupUsageBytes(),
                    u.cgroupLimitBytes(),
                    -1);
            return Optional.of(new InstanceStats(
                    i.id(),
                    i.name(),
                    kind,
                    clock.instant(),
                    0,
                    cpu,
                    -1,
                    mem,
                    new InstanceStats.Io(io[0], io[1], io[2], io[3]),
                    new InstanceStats.Net(net[0], net[1], net[2], net[3])));
        }
        var qmp = vms.qmp(i.id());
        long vcpu = probes.vcpuNanos(pid);
        long balloon = -1;
        VmCounters.GuestMemory guest = null;
        InstanceStats.Io disk = InstanceStats.Io.UNKNOWN;
        if (qmp.isPresent()) {
            balloon = VmCounters.balloonActual(qmp.get());
            guest = VmCounters.guestMemory(qmp.get()).orElse(null);
            var b = VmCounters.blockTotals(qmp.get());
            disk = new InstanceStats.Io(b.readBytes(), b.writeBytes(), b.readOps(), b.writeOps());
        }
        long assigned = i.spec().memoryBytes();
        long rss = u.processRssBytes();
        long ramRss = probes.residentOfMappingsSized(pid, assigned);
        long overhead = rss < 0 || ramRss < 0 ? -1 : Math.max(0, rss - ramRss);
        var mem = new InstanceStats.Memory(
                assigned,
                balloon,
                targets.get(i.id()).orElse(-1L),
                guest == null ? -1 : guest.totalBytes(),
                guest == null ? -1 : guest.usedBytes(),
                guest == null ? -1 : guest.freeBytes(),
                guest == null ? -1 : guest.cacheBytes(),
                rss,
                ramRss,
                overhead,
                u.cgroupUsageBytes(),
                u.cgroupLimitBytes(),
                guest == null ? -1 : guest.availableBytes());
        // the tap's counters are the host's side: what it receives, the guest sent
        var nic = new InstanceStats.Net(net[1], net[0], net[3], net[2]);
        return Optional.of(new InstanceStats(i.id(), i.name(), "vm", clock.instant(), 0, cpu, vcpu, mem, disk, nic));
    }
}
