package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runc's own errors, as runc 1.1 logs them in JSON, become Docker's exit codes and sentences. */
class ExecFailureTest {
    @TempDir
    Path dir;

    @Test
    void aMissingCommandIs127WithDockersSentence() throws Exception {
        Path log = Files.writeString(
                dir.resolve("exec.log"),
                "{\"level\":\"error\",\"msg\":\"exec failed: unable to start container process:"
                        + " exec: \\\"nosuchcmd\\\": executable file not found in $PATH\",\"time\":\"2026-12-02T10:00:00Z\"}\n");
        var o = ExecFailure.outcome(255, log, "nosuchcmd");
        assertThat(o.exitCode()).isEqualTo(127);
        assertThat(o.message()).isEqualTo("executable file not found in $PATH: nosuchcmd");
        assertThat(log).as("read once and removed").doesNotExist();
    }

    @Test
    void aFileThatCannotRunIs126() {
        var o = ExecFailure.judge(
                255,
                "exec failed: unable to start container process: exec: \"/etc/passwd\": permission denied",
                "/etc/passwd");
        assertThat(o.exitCode()).isEqualTo(126);
        assertThat(o.message()).isEqualTo("cannot run /etc/passwd: \"/etc/passwd\": permission denied");
        assertThat(ExecFailure.judge(
                                255,
                                "exec failed: unable to start container process: exec: \"/nope\": stat /nope: no such file or directory",
                                "/nope")
                        .message())
                .isEqualTo("no such file or directory: /nope");
    }

    @Test
    void aCommandThatRanKeepsItsExitCodeEven255() throws Exception {
        assertThat(ExecFailure.outcome(255, dir.resolve("none.log"), "sh"))
                .isEqualTo(new ExecFailure.Outcome(255, null));
        assertThat(ExecFailure.judge(3, "whatever", "sh")).isEqualTo(new ExecFailure.Outcome(3, null));
    }
}
