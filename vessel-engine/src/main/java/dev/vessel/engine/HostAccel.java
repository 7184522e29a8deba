package dev.vessel.engine;

import dev.vessel.core.model.AccelMode;
import dev.vessel.engine.config.DaemonConfig;
import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.AccelPolicy;
import dev.vessel.qemu.accel.AccelDecision;
import dev.vessel.qemu.accel.AccelProbe;
import dev.vessel.qemu.accel.ProbeKernel;
import dev.vessel.qemu.accel.QemuProbeBoot;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The daemon's acceleration policy: {@link AccelProbe} with its verdict cached in the data dir, probing with Vessel's
 * own probe kernel. The daemon decides once at start, in the background, so that {@code GET /host} says whether KVM
 * works before any VM starts.
 */
final class HostAccel implements AccelPolicy {
    private static final System.Logger LOG = System.getLogger(HostAccel.class.getName());
    private final AccelProbe probe;
    private volatile AccelDecision last;

    HostAccel(DaemonConfig config, ProcessRunner proc) {
        this.probe = new AccelProbe(
                config.dataDir().resolve("accel-probe.json"),
                ProbeKernel.materialize(config.runDir()),
                Path.of(config.qemu()),
                Path.of("/dev/kvm"),
                Path.of("/proc/sys/kernel/osrelease"),
                new QemuProbeBoot(proc),
                Clock.systemUTC());
    }

    /** Decides for AUTO in a virtual thread (cached after the first probe on a host), and logs the verdict. */
    void decideInBackground() {
        Thread.ofVirtual().name("accel-probe").start(() -> {
            try {
                var c = choose(AccelMode.AUTO);
                LOG.log(
                        System.Logger.Level.INFO,
                        "acceleration: " + (c.kvm() ? "kvm" : "tcg") + " (" + c.reason() + ")");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the acceleration probe failed: " + e.getMessage());
            }
        });
    }

    @Override
    public Choice choose(AccelMode requested) {
        AccelDecision d = probe.decide(requested);
        if (requested == AccelMode.AUTO || last == null) {
            last = d;
        }
        return new Choice(d.isKvm(), d.reason());
    }

    /** The host's verdict for AUTO, for {@code GET /host}; null while the first probe runs. */
    AccelDecision lastDecision() {
        return last;
    }
}
