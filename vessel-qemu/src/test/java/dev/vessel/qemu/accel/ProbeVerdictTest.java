package dev.vessel.qemu.accel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Verdicts on outputs recorded from real probe boots (on this host: nested KVM, and the same kernel under TCG). */
class ProbeVerdictTest {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String FIRMWARE = "\u001Bc\u001B[?7l\u001B[2J\u001B[0mSeaBIOS (version 1.16.2-debian-1.16.2-1)\r\nBooting from ROM...\r\n"
            + "Probing EDD (edd=off to disable)... ok\r\n";
    static final String ROOT_PANIC = "[    1.700834] VFS: Cannot open root device \"(null)\" or unknown-block(0,0): error -6\r\n"
            + "[    1.701322] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r\n";

    static KvmBoot.Outcome outcome(int exit, boolean timedOut, String console, String errors) {
        return new KvmBoot.Outcome(exit, timedOut, console, errors, Duration.ofMillis(1234));
    }

    @Test
    void aKernelThatReachesItsRootMountProvesKvmWorks() {
        var v = ProbeVerdict.judge(outcome(0, false, FIRMWARE + ROOT_PANIC, ""), TIMEOUT);
        assertThat(v.works()).isTrue();
        assertThat(v.reason()).isEqualTo("KVM works: a probe kernel booted under KVM to its root mount in 1.2 s");
    }

    @Test
    void aKvmInternalErrorIsBrokenEvenIfTheKernelGotFar() {
        var v = ProbeVerdict.judge(outcome(1, false, ROOT_PANIC,
                "KVM internal error. Suberror: 1\nemulation failure\nRAX=0000000000000000 RBX=0000000000000000\n"), TIMEOUT);
        assertThat(v.works()).isFalse();
        assertThat(v.reason()).startsWith("KVM does not work on this host").contains("KVM internal error. Suberror: 1");
    }

    @Test
    void anEarlyExitAfterTheFirmwareIsBroken() {
        // Nested KVM with the default vCPU: the guest triple-faults and -no-reboot turns that into exit status 0.
        var v = ProbeVerdict.judge(outcome(0, false, FIRMWARE + "\u001Bc\u001B[?7l\u001B[2J",
                "qemu-system-x86_64: warning: host doesn't support requested feature: CPUID.01H:ECX.pni [bit 0]\n"), TIMEOUT);
        assertThat(v.works()).isFalse();
        assertThat(v.reason()).contains("QEMU exited with status 0 before the probe kernel reached its root mount")
                .contains("Probing EDD").doesNotContain("\u001B");
    }

    @Test
    void aQemuAbortIsBrokenAndQuotesQemu() {
        var v = ProbeVerdict.judge(outcome(134, false, "",
                "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\n"
                        + "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.\n"),
                TIMEOUT);
        assertThat(v.works()).isFalse();
        assertThat(v.reason()).contains("status 134").contains("failed to set MSR 0x10a");
    }

    @Test
    void aHangIsBroken() {
        var v = ProbeVerdict.judge(outcome(124, true, FIRMWARE, "qemu-system-x86_64: terminating on signal 15 from pid 9504 (timeout)\n"), TIMEOUT);
        assertThat(v.works()).isFalse();
        assertThat(v.reason()).contains("did not reach its root mount within 20 s");
    }

    @Test
    void noOutputAtAllIsSaid() {
        assertThat(ProbeVerdict.judge(outcome(1, false, "", ""), TIMEOUT).reason()).endsWith("(no output at all)");
    }
}
