package dev.vessel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import org.junit.jupiter.api.Test;

class StatesTest {
    static JsonNode stopped(String reason, String detail, Integer code, boolean template) {
        return Json.tree("{\"status\":\"stopped\",\"state\":{\"status\":\"stopped\",\"since\":\"2026-12-01T10:00:00Z\",\"reason\":\"" + reason
                + "\",\"detail\":" + (detail == null ? "null" : "\"" + detail + "\"") + ",\"exitCode\":" + code + "},"
                + "\"spec\":{\"template\":" + template + "}}");
    }

    @Test
    void aPlainStopIsJustStoppedNotStoppedStopped() {
        var i = stopped("stopped", "the guest powered off after the ACPI power button", null, false);
        assertThat(States.brief(i)).isEqualTo("stopped");
        assertThat(States.outcome("web", i)).isEqualTo("web stopped");
    }

    @Test
    void aTemplateShowsAsATemplateWhateverEndedItsLastRun() {
        assertThat(States.brief(stopped("stop-timeout-killed", "x", null, true))).isEqualTo("template");
    }

    @Test
    void aStopThatHadToKillSaysSoPlainly() {
        var i = stopped("stop-timeout-killed", "the guest did not power off within 60 s of the ACPI power button"
                + " (a guest without an ACPI handler ignores it) and was killed", null, false);
        assertThat(States.brief(i)).isEqualTo("stopped (killed after timeout)");
        assertThat(States.outcome("web", i)).isEqualTo("web was killed after the stop timeout: the guest did not power off"
                + " within 60 s of the ACPI power button (a guest without an ACPI handler ignores it) and was killed");
    }

    @Test
    void exitCodesOfContainersShow() {
        assertThat(States.brief(stopped("exited", null, 3, false))).isEqualTo("stopped (exited 3)");
        assertThat(States.outcome("job", stopped("exited", null, 3, false))).isEqualTo("job exited with code 3");
        assertThat(States.brief(stopped("oom-killed", null, 137, false))).isEqualTo("stopped (oom-killed 137)");
        assertThat(States.brief(stopped("stopped", null, 0, false))).isEqualTo("stopped");
        assertThat(States.brief(stopped("stopped", null, 143, false))).isEqualTo("stopped (exit 143)");
    }

    @Test
    void otherStatesAreTheirNames() {
        var running = Json.tree("{\"status\":\"running\",\"state\":{\"status\":\"running\",\"since\":\"2026-12-01T10:00:00Z\"},\"spec\":{}}");
        assertThat(States.brief(running)).startsWith("running ");
        assertThat(States.outcome("web", running)).isEqualTo("web running");
        assertThat(States.brief(Json.tree("{\"status\":\"created\",\"state\":{\"status\":\"created\"},\"spec\":{}}"))).isEqualTo("created");
    }
}
