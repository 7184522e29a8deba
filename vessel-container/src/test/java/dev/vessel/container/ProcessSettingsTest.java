package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.image.oci.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The image's process defaults combine with the user's overrides as docker run combines them. */
class ProcessSettingsTest {
    static ImageConfig image(List<String> entrypoint, List<String> cmd) {
        return new ImageConfig(
                "linux",
                "amd64",
                List.of("PATH=/img/bin", "A=1"),
                entrypoint,
                cmd,
                "",
                "",
                "",
                List.of(),
                Map.of(),
                List.of(),
                null,
                List.of());
    }

    static ContainerSpec spec(List<String> entrypoint, List<String> command, List<String> env, boolean tty) {
        return new ContainerSpec(
                "i",
                "sha256:" + "b".repeat(64),
                entrypoint,
                command,
                env,
                null,
                null,
                null,
                false,
                List.of(),
                List.of(),
                0,
                0,
                0,
                RestartPolicy.NO,
                null,
                tty,
                false,
                false,
                10,
                null,
                "overlay",
                false,
                null,
                null);
    }

    @Test
    void theImageEntrypointAndCmdRunWhenNothingIsGiven() {
        var s = ProcessSettings.of(
                image(List.of("/ep"), List.of("a", "b")), spec(null, List.of(), List.of(), false), "h");
        assertThat(s.args()).containsExactly("/ep", "a", "b");
        assertThat(s.cwd()).isEqualTo("/");
        assertThat(s.stopSignal()).isEqualTo("TERM");
        assertThat(s.user()).isNull();
    }

    @Test
    void aCommandReplacesCmdButKeepsTheEntrypoint() {
        assertThat(ProcessSettings.of(
                                image(List.of("/ep"), List.of("a")), spec(null, List.of("x"), List.of(), false), "h")
                        .args())
                .containsExactly("/ep", "x");
    }

    @Test
    void anEntrypointReplacesTheImageEntrypointAndDropsItsCmd() {
        assertThat(ProcessSettings.of(
                                image(List.of("/ep"), List.of("a")),
                                spec(List.of("/other"), List.of(), List.of(), false),
                                "h")
                        .args())
                .containsExactly("/other");
        assertThat(ProcessSettings.of(
                                image(List.of("/ep"), List.of("a")),
                                spec(List.of(), List.of("ls"), List.of(), false),
                                "h")
                        .args())
                .containsExactly("ls");
    }

    @Test
    void environmentEntriesReplaceTheImagesByNameAndTheUsualOnesAreAdded() {
        var s = ProcessSettings.of(
                image(List.of(), List.of("sh")), spec(null, List.of(), List.of("A=2", "B=3"), true), "box");
        assertThat(s.env()).containsExactly("PATH=/img/bin", "A=2", "B=3", "HOSTNAME=box", "TERM=xterm");
        assertThat(s.withHome("/home/x").env()).contains("HOME=/home/x");
    }

    @Test
    void anImageWithoutACommandNeedsOne() {
        assertThatThrownBy(() ->
                        ProcessSettings.of(image(List.of(), List.of()), spec(null, List.of(), List.of(), false), "h"))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("give a command");
    }

    @Test
    void signalsAreNormalisedAndNonsenseIsRefused() {
        assertThat(Signals.parse("s", "SIGQUIT")).isEqualTo("QUIT");
        assertThat(Signals.parse("s", "usr1")).isEqualTo("USR1");
        assertThat(Signals.parse("s", "15")).isEqualTo("TERM");
        assertThatThrownBy(() -> Signals.parse("s", "SIGNOPE")).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> Signals.parse("s", "64")).isInstanceOf(VesselException.class);
    }
}
