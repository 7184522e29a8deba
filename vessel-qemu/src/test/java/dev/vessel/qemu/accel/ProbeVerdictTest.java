package dev.vessel.qemu.accel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Verdicts on outputs recorded from real probe boots (on this host: nested KVM, and the same probe under TCG). */
class ProbeVerdictTest {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String FIRMWARE =
            "\u001Bc\u001B[?7l\u001B[2J\u001B[0mSeaBIOS (version 1.16.2-debian-1.16.2-1)\r\nBooting from ROM..";
    static final String PASSED = FIRMWARE + "VESSEL-KVM-PROBE-OK\n";

    static ProbeBoot.Outcome outcome(int exit, boolean timedOut, String console, String errors) {
        return outcome(exit, timedOut, console, errors, 1234);
    }

    static ProbeBoot.Outcome outcome(int exit, boolean timedOut, String console, String errors, long millis) {
        return new ProbeBoot.Outcome(exit, timedOut, console, errors, Duration.ofMillis(millis));
    }

    @Test
    void aProbeThatPrintsItsMarkerAndEndsQemuItselfProvesKvmRuns() {
        var v = ProbeVerdict.judge(outcome(33, false, PASSED, ""), TIMEOUT);
        assertThat(v.works()).isTrue();
        assertThat(v.reason())
                .isEqualTo(
                        "KVM works: the probe kernel ran under KVM (long mode, paging, 32 MiB touched, 1,000 I/O exits) in 1.23 s");
    }

    @Test
    void theMarkerWithoutTheExitStatusIsNotEnough() {
        var v = ProbeVerdict.judge(outcome(0, false, PASSED, ""), TIMEOUT);
        assertThat(v.works()).isFalse();
        assertThat(v.reason()).contains("QEMU exited with status 0 before the probe kernel finished");
    }

    @Test
    void aKvmInternalErrorIsBrokenEvenIfTheProbeGotFar() {
        var v = ProbeVerdict.judge(
                outcome(
                        33,
                        false,
                        PASSED,
                        "KVM internal error. Suberror: 1\nemulation failure\nRAX=0000000000000000 RBX=0000000000000000\n"),
                TIMEOUT);
        assertThat(v.works()).isFalse();
        assertThat(v.reason()).startsWith("KVM does not work on this host").contains("KVM internal error. Suberror: 1");
    }

    @Test
    void anEarlyExitAfterTheFirmwareIsBroken() {
        // A fault that resets the vCPU: -no-reboot turns it into exit status 0.
        var v = ProbeVerdict.judge(
                outcome(
                        0,
                        false,
                        FIRMWARE + "\u001Bc\u001B[?7l\u001B[2J",
                        "qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.01H:ECX.pni [bit 0]\n"),
                TIMEOUT);
        assertThat(v.works()).isFalse();
        assertThat(v.reason())
                .contains("QEMU exited with status 0 before the probe kernel finished")
                .contains("Booting from ROM")
                .doesNotContain("\u001B");
    }

    @Test
    void aQemuAbortIsBrokenAndQuotesQemu() {
        // What -cpu host does under this machine's nested KVM, recorded.
        var v = ProbeVerdict.judge(
                outcome(
                        134,
                        false,
                        "",
                        "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\n"
                                + "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.\n"),
                TIMEOUT);
        assertThat(v.works()).isFalse();
        assertThat(v.reason()).contains("status 134").contains("failed to set MSR 0x10a");
    }

    @Test
    void aHangIsBroken() {
        var v = ProbeVerdict.judge(
                outcome(124, true, FIRMWARE, "qemu-system-x86_64: terminating on signal 15 from pid 9504 (timeout)\n"),
                TIMEOUT);
        assertThat(v.works()).isFalse();
        assertThat(v.reason()).contains("did not finish within 20 s");
    }

    @Test
    void noOutputAtAllIsSaid() {
        assertThat(ProbeVerdict.judge(outcome(1, false, "", ""), TIMEOUT).reason())
                .endsWith("(no output at all)");
    }

    @Test
    void kvmSlowerThanTcgDoesNotWork() {
        // On this machine, -cpu qemu64 under nested KVM runs the probe in 4.7 s; TCG takes 0.22 s.
        var kvm = outcome(33, false, PASSED, "", 4691);
        var v = ProbeVerdict.compare(ProbeVerdict.judge(kvm, TIMEOUT), kvm, outcome(33, false, PASSED, "", 220));
        assertThat(v.works()).isFalse();
        assertThat(v.reason())
                .startsWith("KVM does not work on this host: the probe kernel ran under KVM, but more slowly than TCG")
                .contains("4.69 s under KVM, 0.22 s under TCG");
    }

    @Test
    void kvmFasterThanTcgWorks() {
        var kvm = outcome(33, false, PASSED, "", 60);
        var v = ProbeVerdict.compare(ProbeVerdict.judge(kvm, TIMEOUT), kvm, outcome(33, false, PASSED, "", 220));
        assertThat(v.works()).isTrue();
        assertThat(v.reason()).endsWith("in 0.06 s (TCG: 0.22 s)");
    }

    @Test
    void aFailedTcgRunLeavesTheKvmVerdict() {
        var kvm = outcome(33, false, PASSED, "", 60);
        var underKvm = ProbeVerdict.judge(kvm, TIMEOUT);
        assertThat(ProbeVerdict.compare(underKvm, kvm, outcome(1, false, "", "no")))
                .isEqualTo(underKvm);
    }
}
