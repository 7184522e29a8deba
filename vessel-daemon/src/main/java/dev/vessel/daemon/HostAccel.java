package dev.vessel.daemon;

import dev.vessel.core.model.AccelMode;
import dev.vessel.daemon.config.DaemonConfig;
import dev.vessel.qemu.AccelPolicy;
import dev.vessel.qemu.accel.AccelDecision;
import dev.vessel.qemu.accel.AccelProbe;
import dev.vessel.qemu.accel.QemuKvmBoot;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The daemon's acceleration policy: {@link AccelProbe} with its verdict cached in the data dir, probing with the tiny
 * guest's kernel.
 */
final class HostAccel implements AccelPolicy {
    private final AccelProbe probe;
    private volatile AccelDecision last;

    HostAccel(DaemonConfig config, ProcessRunner proc, Path imagesDir) {
        this.probe = new AccelProbe(
                config.dataDir().resolve("accel-probe.json"),
                imagesDir.resolve("tiny").resolve("vmlinuz"),
                Path.of(config.qemu()),
                Path.of("/dev/kvm"),
                Path.of("/proc/sys/kernel/osrelease"),
                new QemuKvmBoot(proc),
                Clock.systemUTC());
    }

    @Override
    public Choice choose(AccelMode requested) {
        AccelDecision d = probe.decide(requested);
        last = d;
        return new Choice(d.isKvm(), d.reason());
    }

    /** The last decision, for {@code GET /host}; null before the first VM started. */
    AccelDecision lastDecision() {
        return last;
    }
}
