package dev.vessel.qemu.accel;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.AccelMode;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides between KVM and TCG by booting a kernel under KVM, because an openable /dev/kvm proves nothing: nested
 * KVM often opens fine and then fails as soon as a guest kernel runs. The probe's verdict is cached in a JSON file
 * for as long as the QEMU binary and the host kernel stay the same.
 */
public final class AccelProbe {
    public static final Path DEFAULT_CACHE = Path.of("/var/lib/vessel/accel-probe.json");
    public static final Path DEFAULT_QEMU = Path.of("/usr/bin/qemu-system-x86_64");
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
    static final Path KVM_DEVICE = Path.of("/dev/kvm");
    static final Path OS_RELEASE = Path.of("/proc/sys/kernel/osrelease");

    private final Path cacheFile;
    private final Path probeKernel;
    private final Path qemu;
    private final Path kvmDevice;
    private final Path osRelease;
    private final ProbeBoot boot;
    private final Clock clock;

    /**
     * @param cacheFile where the verdict is kept, e.g. {@link #DEFAULT_CACHE}
     * @param probeKernel the probe kernel, see {@link ProbeKernel#materialize}
     */
    public AccelProbe(Path cacheFile, Path probeKernel) {
        this(
                cacheFile,
                probeKernel,
                DEFAULT_QEMU,
                KVM_DEVICE,
                OS_RELEASE,
                new QemuProbeBoot(new ProcessRunner()),
                Clock.systemUTC());
    }

    public AccelProbe(
            Path cacheFile, Path probeKernel, Path qemu, Path kvmDevice, Path osRelease, ProbeBoot boot, Clock clock) {
        this.cacheFile = cacheFile;
        this.probeKernel = probeKernel;
        this.qemu = qemu;
        this.kvmDevice = kvmDevice;
        this.osRelease = osRelease;
        this.boot = boot;
        this.clock = clock;
    }

    /**
     * The accelerator for a VM that asked for {@code requested}. TCG is always granted. AUTO falls back to TCG with
     * the reason; KVM that cannot work is an {@code invalid-state} error naming what failed.
     */
    public synchronized AccelDecision decide(AccelMode requested) {
        String key = hostKey(qemu, osRelease);
        if (requested == AccelMode.TCG) {
            return new AccelDecision(AccelDecision.TCG, "requested", clock.instant(), key);
        }
        Optional<String> noDevice = kvmUnavailable();
        if (noDevice.isPresent()) {
            if (requested == AccelMode.KVM) {
                throw VesselException.state("accel kvm was requested but " + noDevice.get());
            }
            return new AccelDecision(AccelDecision.TCG, "KVM is unavailable: " + noDevice.get(), clock.instant(), key);
        }
        AccelDecision d = cached(key).orElseGet(() -> probe(key));
        if (d.isKvm()) {
            return d;
        }
        if (requested == AccelMode.KVM) {
            throw VesselException.state("accel kvm was requested, but " + d.reason() + " (probed " + d.probedAt()
                    + "; delete " + cacheFile + " to probe again)");
        }
        return new AccelDecision(AccelDecision.TCG, d.reason() + "; using TCG", d.probedAt(), d.hostKey());
    }

    /** Drops the cached verdict, so the next decision probes again (e.g. after fixing KVM on the host). */
    public synchronized void forget() {
        try {
            Files.deleteIfExists(cacheFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + cacheFile, e);
        }
    }

    /**
     * Identifies what the verdict depends on: the QEMU binary (path, size, mtime, so an upgrade re-probes) and the
     * running host kernel (where KVM lives).
     */
    public static String hostKey(Path qemu, Path osRelease) {
        String binary;
        try {
            binary = "size=" + Files.size(qemu) + ",mtime="
                    + Files.getLastModifiedTime(qemu).toMillis();
        } catch (IOException e) {
            binary = "missing";
        }
        String kernel;
        try {
            kernel = Files.readString(osRelease).strip();
        } catch (IOException e) {
            kernel = "unknown";
        }
        return "qemu=" + qemu + "," + binary + ";kernel=" + kernel;
    }

    private Optional<String> kvmUnavailable() {
        if (!Files.exists(kvmDevice)) {
            return Optional.of(
                    kvmDevice + " does not exist (no KVM in the host kernel, or not passed into this container)");
        }
        try {
            FileChannel.open(kvmDevice, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    .close();
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of("cannot open " + kvmDevice + " read-write: " + e.getMessage());
        }
    }

    private Optional<AccelDecision> cached(String key) {
        if (!Files.isRegularFile(cacheFile)) {
            return Optional.empty();
        }
        try {
            var d = Json.readStored(Files.readString(cacheFile), AccelDecision.class);
            return key.equals(d.hostKey()) ? Optional.of(d) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable: probe again and overwrite it
        }
    }

    /**
     * Runs the probe under KVM and, if it ran, once more under TCG to compare, and caches the verdict. The probe kernel
     * is Vessel's own ({@link ProbeKernel}), so there is always one to run.
     */
    private AccelDecision probe(String key) {
        var kvm = boot.boot(qemu, probeKernel, true, PROBE_TIMEOUT);
        var verdict = ProbeVerdict.judge(kvm, PROBE_TIMEOUT);
        if (verdict.works()) {
            verdict = ProbeVerdict.compare(verdict, kvm, boot.boot(qemu, probeKernel, false, PROBE_TIMEOUT));
        }
        var d = new AccelDecision(
                verdict.works() ? AccelDecision.KVM : AccelDecision.TCG, verdict.reason(), clock.instant(), key);
        AtomicFiles.write(cacheFile, Json.pretty(d) + "\n");
        return d;
    }
}
