package dev.vessel.engine.instance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.core.model.StopReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a restart policy restarts a container or a VM, and Docker's back-off. */
class RestartRulesTest {
    static InstanceState.Stopped stopped(StopReason reason, Integer code) {
        return new InstanceState.Stopped(Instant.EPOCH, reason, null, code);
    }

    @Test
    void policiesRestartWhatDockerRestarts() {
        var failure = stopped(StopReason.EXITED, 1);
        var success = stopped(StopReason.EXITED, 0);
        var userStop = stopped(StopReason.STOPPED, 143);
        var oom = stopped(StopReason.OOM_KILLED, 137);
        var unknown = stopped(StopReason.DIED_WHILE_DAEMON_DOWN, null);
        RestartPolicy onFailure = RestartPolicy.parse("on-failure");
        assertThat(RestartSupervisor.shouldRestart(onFailure, failure, false)).isTrue();
        assertThat(RestartSupervisor.shouldRestart(onFailure, oom, false)).isTrue();
        assertThat(RestartSupervisor.shouldRestart(onFailure, unknown, true)).isTrue();
        assertThat(RestartSupervisor.shouldRestart(onFailure, success, false)).isFalse();
        assertThat(RestartSupervisor.shouldRestart(onFailure, userStop, false)).isFalse();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("always"), success, false))
                .isTrue();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("always"), userStop, false))
                .isFalse();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("always"), userStop, true))
                .isTrue();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("unless-stopped"), userStop, true))
                .isFalse();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("unless-stopped"), failure, true))
                .isTrue();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.NO, failure, true))
                .isFalse();
        // a VM: QEMU dying is a failure, the guest powering off a clean exit
        var crashed = stopped(StopReason.CRASHED, null);
        var poweredOff = stopped(StopReason.GUEST_SHUTDOWN, null);
        assertThat(RestartSupervisor.shouldRestart(onFailure, crashed, false)).isTrue();
        assertThat(RestartSupervisor.shouldRestart(onFailure, poweredOff, false))
                .isFalse();
        assertThat(RestartSupervisor.shouldRestart(RestartPolicy.parse("always"), poweredOff, false))
                .isTrue();
    }

    @Test
    void theBackOffDoublesUpToAMinute() {
        assertThat(RestartSupervisor.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(RestartSupervisor.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(RestartSupervisor.backoff(5)).isEqualTo(Duration.ofMillis(1600));
        assertThat(RestartSupervisor.backoff(40)).isEqualTo(Duration.ofMinutes(1));
    }
}
