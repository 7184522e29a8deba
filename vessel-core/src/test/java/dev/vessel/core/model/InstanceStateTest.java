package dev.vessel.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InstanceStateTest {
    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void statesDescribeThemselvesInWords() {
        assertThat(new InstanceState.Running(T).describe()).isEqualTo("running");
        assertThat(new InstanceState.Stopped(
                                T, StopReason.STOPPED, "the guest powered off after the ACPI power button", null)
                        .describe())
                .isEqualTo("stopped: the guest powered off after the ACPI power button");
        assertThat(new InstanceState.Stopped(
                                T, StopReason.STOP_TIMEOUT_KILLED, "the guest did not power off within 60 s", null)
                        .describe())
                .isEqualTo("stopped (killed after the stop timeout): the guest did not power off within 60 s");
        assertThat(new InstanceState.Stopped(T, StopReason.EXITED, null, 3).describe())
                .isEqualTo("stopped (exited, code 3)");
        assertThat(new InstanceState.Stopped(T, StopReason.STOPPED, null, 143).describe())
                .isEqualTo("stopped (code 143)");
    }
}
