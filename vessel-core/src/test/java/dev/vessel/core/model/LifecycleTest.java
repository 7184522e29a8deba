package dev.vessel.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.InstanceState.Created;
import dev.vessel.core.model.InstanceState.Paused;
import dev.vessel.core.model.InstanceState.Running;
import dev.vessel.core.model.InstanceState.Starting;
import dev.vessel.core.model.InstanceState.Stopped;
import dev.vessel.core.model.InstanceState.Stopping;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final Lifecycle lifecycle = new Lifecycle(Clock.fixed(T0, ZoneOffset.UTC));

    InstanceState next(InstanceState s, LifecycleEvent e) {
        return lifecycle.next("web", s, e);
    }

    @Test
    void aCreatedInstanceStartsRunsStopsAndStartsAgain() {
        InstanceState s = new Created(T0);
        s = next(s, new LifecycleEvent.StartRequested());
        assertThat(s).isInstanceOf(Starting.class);
        s = next(s, new LifecycleEvent.Started());
        assertThat(s).isInstanceOf(Running.class);
        s = next(s, new LifecycleEvent.StopRequested());
        assertThat(s).isInstanceOf(Stopping.class);
        s = next(s, new LifecycleEvent.Exited(StopReason.STOPPED, "acpi", null));
        assertThat(s).isEqualTo(new Stopped(T0, StopReason.STOPPED, "acpi", null));
        assertThat(next(s, new LifecycleEvent.StartRequested())).isInstanceOf(Starting.class);
    }

    @Test
    void aFailedStartEndsStoppedWithTheReason() {
        var s = next(new Starting(T0), new LifecycleEvent.StartFailed("runc said no"));
        assertThat(s).isEqualTo(new Stopped(T0, StopReason.START_FAILED, "runc said no", null));
    }

    @Test
    void pauseAndResumeOnlyApplyToRunningAndPaused() {
        assertThat(next(new Running(T0), new LifecycleEvent.Paused())).isInstanceOf(Paused.class);
        assertThat(next(new Paused(T0), new LifecycleEvent.Resumed())).isInstanceOf(Running.class);
        assertThatThrownBy(() -> next(new Created(T0), new LifecycleEvent.Paused()))
                .isInstanceOf(VesselException.class);
    }

    @Test
    void aGuestMayDieInAnyActiveState() {
        for (InstanceState s :
                new InstanceState[] {new Starting(T0), new Running(T0), new Paused(T0), new Stopping(T0)}) {
            assertThat(next(s, new LifecycleEvent.Exited(StopReason.CRASHED, "boom", null)))
                    .isInstanceOf(Stopped.class);
        }
    }

    @Test
    void aGuestRebootKeepsTheInstanceRunning() {
        var running = new Running(T0);
        assertThat(next(running, new LifecycleEvent.Reset())).isSameAs(running);
        assertThatThrownBy(() -> next(new Created(T0), new LifecycleEvent.Reset()))
                .isInstanceOf(VesselException.class);
    }

    @Test
    void adoptionMakesAnyActiveStateRunningButKeepsPaused() {
        assertThat(next(new Starting(T0), new LifecycleEvent.Adopted())).isInstanceOf(Running.class);
        assertThat(next(new Stopping(T0), new LifecycleEvent.Adopted())).isInstanceOf(Running.class);
        assertThat(next(new Paused(T0), new LifecycleEvent.Adopted())).isInstanceOf(Paused.class);
        assertThatThrownBy(() -> next(new Stopped(T0, StopReason.KILLED, null, null), new LifecycleEvent.Adopted()))
                .isInstanceOf(VesselException.class);
    }

    @Test
    void refusedTransitionsAreConflictsThatNameTheState() {
        assertThatThrownBy(() -> next(new Running(T0), new LifecycleEvent.StartRequested()))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_STATE))
                .hasMessage("instance 'web' is running: cannot start");
        assertThatThrownBy(() -> next(new Created(T0), new LifecycleEvent.StopRequested()))
                .hasMessage("instance 'web' is created: cannot stop");
        assertThatThrownBy(() -> next(
                        new Stopped(T0, StopReason.KILLED, null, null),
                        new LifecycleEvent.Exited(StopReason.CRASHED, null, null)))
                .isInstanceOf(VesselException.class);
    }
}
