package dev.vessel.engine.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The automatic balloon policy ({@code balloon-policy=auto}), after Proxmox's auto-ballooning and the dockur images'
 * advice: when the host runs short of memory — MemAvailable under 10 % of MemTotal, or memory pressure (PSI "some
 * avg10") over 10 % — each VM without a target of its own gives back what its guest does not use, down to what it
 * uses plus a margin (a quarter of that, at least 64 MiB) and never below 64 MiB; when the host is comfortable again —
 * over 20 % available and under 1 % pressure — the guests get their RAM back. Between the two nothing moves
 * (hysteresis), each step is at most a quarter of the VM's memory, and a VM is not touched twice within 10 s, so the
 * guest's balloon driver and page cache can follow. A pure function of what the sampler sees, so it is unit-tested.
 */
public final class BalloonPolicy {
    static final long FLOOR = MemoryTargetOps.FLOOR;
    static final long COOLDOWN_SECONDS = 10;

    /** The host's memory: total and available bytes, and PSI some avg10 in percent (-1 unknown). */
    public record Host(long total, long available, double pressure) {
        boolean short_() {
            return available < total / 10 || pressure > 10;
        }

        boolean comfortable() {
            return available > total / 5 && (pressure < 0 || pressure < 1);
        }
    }

    /** A running VM as the policy sees it; {@code guestUsed} -1 when its balloon driver reports nothing. */
    public record Vm(String id, long assigned, long balloon, long guestUsed, boolean ownTarget) {}

    /** Move this VM's balloon to {@code target} bytes. */
    public record Decision(String id, long target) {}

    private final Map<String, Long> lastChange = new HashMap<>();

    public List<Decision> decide(Host host, List<Vm> vms, long nowSeconds) {
        var out = new ArrayList<Decision>();
        boolean shortOfMemory = host.short_();
        boolean comfortable = host.comfortable();
        if (!shortOfMemory && !comfortable) {
            return out;
        }
        for (Vm vm : vms) {
            if (vm.ownTarget() || vm.balloon() < 0) {
                continue;
            }
            Long last = lastChange.get(vm.id());
            if (last != null && nowSeconds - last < COOLDOWN_SECONDS) {
                continue;
            }
            long step = Math.max(FLOOR, vm.assigned() / 4);
            long target;
            if (shortOfMemory) {
                if (vm.guestUsed() < 0) {
                    continue; // no statistics: nothing says what the guest can spare
                }
                long keep = Math.max(FLOOR, vm.guestUsed() + Math.max(FLOOR, vm.guestUsed() / 4));
                target = Math.max(Math.min(keep, vm.assigned()), vm.balloon() - step);
                if (target >= vm.balloon()) {
                    continue;
                }
            } else {
                if (vm.balloon() >= vm.assigned()) {
                    continue;
                }
                target = Math.min(vm.assigned(), vm.balloon() + step);
            }
            out.add(new Decision(vm.id(), target));
            lastChange.put(vm.id(), nowSeconds);
        }
        lastChange.keySet().retainAll(vms.stream().map(Vm::id).toList());
        return out;
    }
}
