package dev.vessel.cli;

import static dev.vessel.cli.Views.stopped;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.StopReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatesTest {
    @Test
    void aPlainStopIsJustStoppedNotStoppedStopped() {
        var i = stopped(StopReason.STOPPED, "the guest powered off after the ACPI power button", null, false);
        assertThat(States.brief(i)).isEqualTo("stopped");
        assertThat(States.outcome("web", i)).isEqualTo("web stopped");
    }

    @Test
    void aTemplateShowsAsATemplateWhateverEndedItsLastRun() {
        assertThat(States.brief(stopped(StopReason.STOP_TIMEOUT_KILLED, "x", null, true)))
                .isEqualTo("template");
    }

    @Test
    void aStopThatHadToKillSaysSoPlainly() {
        var i = stopped(
                StopReason.STOP_TIMEOUT_KILLED,
                "the guest did not power off within 60 s of the ACPI power button"
                        + " (a guest without an ACPI handler ignores it) and was killed",
                null,
                false);
        assertThat(States.brief(i)).isEqualTo("stopped (killed after timeout)");
        assertThat(States.outcome("web", i))
                .isEqualTo(
                        "web was killed after the stop timeout: the guest did not power off"
                                + " within 60 s of the ACPI power button (a guest without an ACPI handler ignores it) and was killed");
    }

    @Test
    void exitCodesOfContainersShow() {
        assertThat(States.brief(stopped(StopReason.EXITED, null, 3, false))).isEqualTo("stopped (exited 3)");
        assertThat(States.outcome("job", stopped(StopReason.EXITED, null, 3, false)))
                .isEqualTo("job exited with code 3");
        assertThat(States.brief(stopped(StopReason.OOM_KILLED, null, 137, false)))
                .isEqualTo("stopped (oom-killed 137)");
        assertThat(States.brief(stopped(StopReason.STOPPED, null, 0, false))).isEqualTo("stopped");
        assertThat(States.brief(stopped(StopReason.STOPPED, null, 143, false))).isEqualTo("stopped (exit 143)");
    }

    @Test
    void otherStatesAreTheirNames() {
        var running = Views.view("vm", new InstanceState.Running(Views.T), Views.vm(1, false), List.of());
        assertThat(States.brief(running)).startsWith("running ");
        assertThat(States.outcome("web", running)).isEqualTo("web running");
        assertThat(States.brief(Views.view("vm", new InstanceState.Created(Views.T), Views.vm(1, false), List.of())))
                .isEqualTo("created");
    }
}
