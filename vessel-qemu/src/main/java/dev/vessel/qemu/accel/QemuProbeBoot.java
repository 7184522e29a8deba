package dev.vessel.qemu.accel;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Boots the probe kernel with QEMU: it prints its marker on the serial port and ends QEMU through isa-debug-exit, so
 * a boot takes a fraction of a second where the vCPU runs.
 */
public final class QemuProbeBoot implements ProbeBoot {
    /** Exit statuses of timeout(1): 124 when it sent TERM, 137 when it had to KILL as well. */
    private static final int TIMED_OUT = 124;

    private static final int KILLED = 137;

    private final ProcessRunner runner;

    public QemuProbeBoot(ProcessRunner runner) {
        this.runner = runner;
    }

    /**
     * The probe's command line. Under KVM {@code -cpu host}, because that is what KVM guests get from the launcher,
     * and a host whose KVM cannot even set up a host-model vCPU fails here in milliseconds instead of hanging; under
     * TCG {@code -cpu max}, as TCG guests get.
     */
    static List<String> argv(Path qemu, Path kernel, boolean kvm, Duration timeout) {
        var a = new ArrayList<String>();
        // timeout(1) rather than ProcessRunner's own limit: a hang is a verdict here, and we want its output.
        a.addAll(List.of("timeout", "--kill-after=5", Long.toString(Math.max(1, timeout.toSeconds()))));
        a.addAll(List.of(
                qemu.toString(), "-accel", kvm ? "kvm" : "tcg", "-cpu", kvm ? "host" : "max", "-M", "q35", "-m", "64"));
        a.addAll(List.of("-nodefaults", "-no-user-config", "-nographic", "-no-reboot", "-serial", "stdio"));
        a.addAll(List.of("-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", kernel.toString()));
        return List.copyOf(a);
    }

    @Override
    public Outcome boot(Path qemu, Path kernel, boolean kvm, Duration timeout) {
        long start = System.nanoTime();
        ProcessRunner.Result r;
        try {
            r = runner.exec(argv(qemu, kernel, kvm, timeout), timeout.plusSeconds(15), null, null);
        } catch (VesselException e) {
            if (e.type() == ProblemType.TIMEOUT) {
                return new Outcome(-1, true, "", e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
            }
            throw e;
        }
        boolean timedOut = r.exitCode() == TIMED_OUT || r.exitCode() == KILLED;
        return new Outcome(r.exitCode(), timedOut, r.stdout(), r.stderr(), Duration.ofNanos(System.nanoTime() - start));
    }
}
