package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.StopReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the driver intended, the OOM count and vessel-init's record decide how an exit is reported. */
class ExitReportTest {
    @TempDir
    Path dir;

    static Optional<ExitStatus> exit(int code) {
        return Optional.of(new ExitStatus(false, code));
    }

    static Optional<ExitStatus> signal(int sig) {
        return Optional.of(new ExitStatus(true, sig));
    }

    @Test
    void statusFilesAreParsedStrictly() {
        assertThat(ExitStatus.parse("exit 3")).contains(new ExitStatus(false, 3));
        assertThat(ExitStatus.parse("signal 15").orElseThrow().exitCode()).isEqualTo(143);
        assertThat(ExitStatus.parse("")).isEmpty();
        assertThat(ExitStatus.parse("exit")).isEmpty();
        assertThat(ExitStatus.parse("exit x")).isEmpty();
    }

    @Test
    void anExitOnItsOwnKeepsItsCode() {
        var r = ExitReport.of(null, exit(3), 0, dir.resolve("log"));
        assertThat(r).isEqualTo(new ExitReport(StopReason.EXITED, "exited with code 3", 3));
    }

    @Test
    void whatTheDriverAskedForComesFirst() {
        assertThat(ExitReport.of(StopReason.STOPPED, signal(15), 0, dir).reason())
                .isEqualTo(StopReason.STOPPED);
        assertThat(ExitReport.of(StopReason.STOP_TIMEOUT_KILLED, Optional.empty(), 0, dir)
                        .exitCode())
                .isEqualTo(137);
        assertThat(ExitReport.of(StopReason.KILLED, Optional.empty(), 0, dir))
                .isEqualTo(new ExitReport(StopReason.KILLED, "killed on request", 137));
    }

    @Test
    void aSigkillWithOomKillsIsAnOomKill() {
        assertThat(ExitReport.of(null, signal(9), 1, dir).reason()).isEqualTo(StopReason.OOM_KILLED);
        assertThat(ExitReport.of(null, Optional.empty(), 2, dir).exitCode()).isEqualTo(137);
        assertThat(ExitReport.of(null, exit(0), 1, dir).reason()).isEqualTo(StopReason.EXITED);
    }

    @Test
    void aMissingCommandIsExplainedFromTheLog() throws Exception {
        Files.writeString(dir.resolve("log"), "hello\nvessel-init: cannot run 'nope': No such file or directory\n");
        assertThat(ExitReport.of(null, exit(127), 0, dir.resolve("log")).detail())
                .isEqualTo("exited with code 127: cannot run 'nope': No such file or directory");
    }

    @Test
    void withoutARecordAnEndWhileTheDaemonWasDownHasNoCode() {
        assertThat(ExitReport.whileDown(Optional.empty(), 0, dir).reason())
                .isEqualTo(StopReason.DIED_WHILE_DAEMON_DOWN);
        var r = ExitReport.whileDown(exit(4), 0, dir);
        assertThat(r.reason()).isEqualTo(StopReason.EXITED);
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.detail()).endsWith("while the daemon was down");
    }

    @Test
    void mountinfoEscapesAreUndone() {
        assertThat(WritableLayer.unescape("/a\\040b")).isEqualTo("/a b");
        assertThat(WritableLayer.unescape("/plain")).isEqualTo("/plain");
    }
}
