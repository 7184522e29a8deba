package dev.vessel.qemu.accel;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Boots a kernel under KVM and reports what happened. The one place {@link AccelProbe} touches QEMU, so tests can
 * replace it; {@link QemuKvmBoot} is the real one.
 */
@FunctionalInterface
public interface KvmBoot {
    /**
     * What a probe boot did.
     *
     * @param exitCode QEMU's exit status (meaningless when {@code timedOut})
     * @param timedOut QEMU was still running when the time was up and was killed
     * @param console the guest's serial output (QEMU's stdout)
     * @param errors QEMU's own messages (stderr), where "KVM internal error" and MSR failures show up
     * @param elapsed how long the boot took
     */
    record Outcome(int exitCode, boolean timedOut, String console, String errors, Duration elapsed) {}

    Outcome boot(Path qemu, Path kernel, Duration timeout);
}
