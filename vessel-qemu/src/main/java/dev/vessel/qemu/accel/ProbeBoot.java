package dev.vessel.qemu.accel;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Boots the probe kernel ({@link ProbeKernel}) and reports what happened. The one place {@link AccelProbe} touches
 * QEMU, so tests can replace it; {@link QemuProbeBoot} is the real one.
 */
@FunctionalInterface
public interface ProbeBoot {
    /**
     * What a probe boot did.
     *
     * @param exitCode QEMU's exit status (meaningless when {@code timedOut}); the probe ends QEMU through
     *     isa-debug-exit, so a probe that ran to its end exits with {@link ProbeKernel#PASSED}
     * @param timedOut QEMU was still running when the time was up and was killed
     * @param console the guest's serial output (QEMU's stdout)
     * @param errors QEMU's own messages (stderr), where "KVM internal error" and MSR failures show up
     * @param elapsed how long the boot took
     */
    record Outcome(int exitCode, boolean timedOut, String console, String errors, Duration elapsed) {}

    /** Boots {@code kernel} under KVM with the vCPU model VMs get ({@code kvm}), or under TCG for comparison. */
    Outcome boot(Path qemu, Path kernel, boolean kvm, Duration timeout);
}
