package dev.vessel.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host programs run from argument arrays, with timeouts, captured output and errors that say what failed. */
class ProcessRunnerTest {
    private final ProcessRunner proc = new ProcessRunner();
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void capturesStdoutStderrAndTheExitCode() {
        var r = proc.exec(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), T, null, null);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.ok()).isFalse();
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void aFailedRunNamesTheCommandAndCarriesItsStderr() {
        assertThatThrownBy(() -> proc.run(T, "sh", "-c", "echo 'disk is full' >&2; exit 5"))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.HOST_COMMAND_FAILED))
                .hasMessageContaining("sh -c")
                .hasMessageContaining("exited with 5")
                .hasMessageContaining("disk is full");
    }

    @Test
    void withoutStderrTheFailureCarriesStdout() {
        assertThatThrownBy(() -> proc.run(T, "sh", "-c", "echo only-stdout; exit 1"))
                .hasMessageContaining("only-stdout");
    }

    @Test
    void aTimeoutKillsTheProgramAndSaysSo() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> proc.exec(List.of("sleep", "30"), Duration.ofMillis(300), null, null))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.TIMEOUT))
                .hasMessageContaining("sleep 30 did not finish within");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingProgramIsAClearError() {
        assertThatThrownBy(() -> proc.exec(List.of("/nonexistent/vessel-tool", "x"), T, null, null))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("cannot run /nonexistent/vessel-tool x");
    }

    @Test
    void argumentsReachTheProgramAsTheyAreWithNoShellInBetween() {
        var r = proc.exec(List.of("echo", "$(id)", "; rm -rf /", "`x`"), T, null, null);
        assertThat(r.stdout()).isEqualTo("$(id) ; rm -rf / `x`\n");
    }

    @Test
    void stdinIsFedToTheProgramAndWorkdirIsHonoured() throws Exception {
        Files.writeString(dir.resolve("here"), "");
        var r = proc.exec(List.of("sh", "-c", "cat; ls"), T, dir, "from stdin\n".getBytes(StandardCharsets.UTF_8));
        assertThat(r.stdout()).isEqualTo("from stdin\nhere\n");
    }

    @Test
    void withoutStdinTheProgramReadsEndOfFileAtOnce() {
        assertThat(proc.exec(List.of("cat"), T, null, null).stdout()).isEmpty();
    }

    @Test
    void outputIsCappedAtOneMebibyteAndTheProgramStillFinishes() {
        var r = proc.exec(List.of("head", "-c", "3000000", "/dev/zero"), T, null, null);
        assertThat(r.ok()).isTrue();
        assertThat(r.stdout().length()).isEqualTo(1 << 20);
    }

    @Test
    void aChildLeftRunningWithThePipesDoesNotHangTheCaller() {
        long t0 = System.nanoTime();
        var r = proc.exec(List.of("sh", "-c", "sleep 30 & echo started"), T, null, null);
        assertThat(r.stdout()).isEqualTo("started\n");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void execLoggedAppendsToTheLogAndReturnsOnlyWhatThisRunWrote() throws Exception {
        Path log = dir.resolve("run.log");
        Files.writeString(log, "earlier\n");
        var r = proc.execLogged(List.of("sh", "-c", "echo now; echo oops >&2"), T, log);
        assertThat(r.stdout()).isEqualTo("now\noops\n");
        assertThat(Files.readString(log)).isEqualTo("earlier\nnow\noops\n");
    }

    @Test
    void anInterruptedCallerKillsTheProgram() throws Exception {
        Path pidFile = dir.resolve("pid");
        var caller = Thread.ofVirtual().start(() -> {
            try {
                proc.exec(List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"), T, null, null);
            } catch (VesselException e) {
                assertThat(e).hasMessageContaining("was interrupted");
            }
        });
        for (int i = 0;
                i < 200 && (!Files.exists(pidFile) || Files.readString(pidFile).isBlank());
                i++) {
            Thread.sleep(10);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        caller.interrupt();
        caller.join(Duration.ofSeconds(10));
        assertThat(caller.isAlive()).isFalse();
        for (int i = 0;
                i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                i++) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }
}
