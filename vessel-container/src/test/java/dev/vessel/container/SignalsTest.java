package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignalsTest {
    @Test
    void namesAndNumbers() {
        assertThat(Signals.number("TERM")).isEqualTo(15);
        assertThat(Signals.number("KILL")).isEqualTo(9);
        assertThat(Signals.number("NOPE")).isEqualTo(-1);
    }

    @Test
    void aJvmHeedsTermAndAGoneProcessNeedsNoWait() throws Exception {
        // the JVM handles SIGTERM (its shutdown hooks): caught, so heeded
        assertThat(Signals.heeded(ProcessHandle.current().pid(), "TERM")).isTrue();
        // a process that ignores nothing and catches nothing of USR2... a fresh `sleep` has neither for TERM
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            Thread.sleep(200);
            assertThat(Signals.heeded(p.pid(), "TERM")).isFalse();
        } finally {
            p.destroyForcibly();
        }
        assertThat(Signals.heeded(999_999_999L, "TERM")).isTrue();
    }
}
