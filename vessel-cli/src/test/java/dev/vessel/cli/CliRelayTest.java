package dev.vessel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.Router;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The daemon's side of the thin client, without a daemon: framing, the local-or-relayed decision, bad requests. */
class CliRelayTest {
    private static final String SOCKET = "/run/test-vessel.sock";

    private static CliRelay.Call call(Map<String, String> env, String... args) {
        return new CliRelay.Call(args, Path.of("/srv/work"), env, false, false, SOCKET);
    }

    /** Serves one call and returns its frames. */
    private static List<Map.Entry<Integer, byte[]>> serve(Map<String, String> env, String... args) throws Exception {
        var prepared = CliRelay.prepare(call(env, args));
        assertThat(prepared.local()).as("relayed").isFalse();
        var out = new ByteArrayOutputStream();
        CliRelay.serve(prepared, InputStream.nullInputStream(), out);
        return CliRelay.read(out.toByteArray());
    }

    private static String text(List<Map.Entry<Integer, byte[]>> frames, int stream) {
        var b = new StringBuilder();
        frames.stream()
                .filter(f -> f.getKey() == stream)
                .forEach(f -> b.append(new String(f.getValue(), StandardCharsets.UTF_8)));
        return b.toString();
    }

    private static Map<String, String> env() {
        return Map.of("VESSEL_HOST", "unix://" + SOCKET);
    }

    @Test
    void helpIsWrittenToStandardOutputAndTheExitCodeComesLast() throws Exception {
        var frames = serve(env(), "ps", "--help");
        assertThat(text(frames, CliRelay.STDOUT)).contains("Usage: vessel ps");
        assertThat(frames.getLast().getKey()).isEqualTo(CliRelay.EXIT);
        assertThat(text(frames, CliRelay.EXIT)).isEqualTo("0");
    }

    @Test
    void aUsageErrorGoesToStandardErrorWithExitCode2() throws Exception {
        var frames = serve(env(), "run", "--no-such-flag", "img");
        assertThat(text(frames, CliRelay.STDERR)).contains("Unknown option: '--no-such-flag'");
        assertThat(text(frames, CliRelay.EXIT)).isEqualTo("2");
    }

    @Test
    void callsThatNeedTheClientsTerminalOrStdinAreSentBackUntouched() throws Exception {
        for (String[] args : new String[][] {
            {"run", "-it", "img", "sh"},
            {"run", "-i", "img", "cat"},
            {"container", "exec", "-i", "c", "sh"},
            {"container", "attach", "c"},
            {"vm", "console", "web"},
            {"login", "-u", "me", "--password-stdin", "reg.example"}
        }) {
            assertThat(CliRelay.prepare(call(env(), args)).local())
                    .as(String.join(" ", args))
                    .isTrue();
        }
    }

    @Test
    void aCallForAnotherDaemonIsSentBack() throws Exception {
        assertThat(CliRelay.prepare(call(env(), "-H", "unix:///elsewhere.sock", "ps"))
                        .local())
                .isTrue();
        assertThat(CliRelay.prepare(call(Map.of("VESSEL_HOST", "tcp://127.0.0.1:1"), "ps"))
                        .local())
                .isTrue();
        // no VESSEL_HOST: the default socket, which is not this one
        assertThat(CliRelay.prepare(call(Map.of(), "ps")).local()).isTrue();
        assertThat(CliRelay.prepare(call(env(), "ps")).local()).isFalse();
    }

    @Test
    void theCallSeesTheClientsEnvironmentAndWorkingDirectory() throws Exception {
        var ctx = new CliContext(
                InputStream.nullInputStream(),
                System.out,
                System.err,
                Map.of("A", "1"),
                Path.of("/home/me/proj"),
                true,
                false);
        assertThat(ScopedValue.where(CliContext.CURRENT, ctx)
                        .call(() -> CliContext.current().absolute(Path.of("disk.qcow2"))))
                .isEqualTo(Path.of("/home/me/proj/disk.qcow2"));
        assertThat(ScopedValue.where(CliContext.CURRENT, ctx)
                        .call(() -> CliContext.current().absolute(Path.of("/abs/x"))))
                .isEqualTo(Path.of("/abs/x"));
        assertThat(ScopedValue.where(CliContext.CURRENT, ctx)
                        .call(() -> CliContext.current().env("A")))
                .isEqualTo("1");
        assertThat(ScopedValue.where(CliContext.CURRENT, ctx).call(Terminal::isTty))
                .isTrue();
        assertThat(CliContext.current().relayed()).isFalse();
    }

    @Test
    void aReusedTreeCarriesNothingFromTheCallBefore() {
        CommandLine cl = CliRelay.take("run");
        cl.parseArgs(
                "-H",
                "unix:///a.sock",
                "run",
                "-e",
                "A=1",
                "-v",
                "/x:/y",
                "--name",
                "n1",
                "-d",
                "-m",
                "64M",
                "-o",
                "json",
                "img",
                "echo",
                "one");
        CliRelay.give("run", cl);
        CommandLine again = CliRelay.take("run");
        assertThat(again).isSameAs(cl);
        var parsed = again.parseArgs("run", "img2");
        var run = (RunCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(run.image).isEqualTo("img2");
        assertThat(run.command).isEmpty();
        assertThat(run.detach).isFalse();
        assertThat(run.output).isEqualTo(Output.Format.table);
        assertThat(run.options.env).isEmpty();
        assertThat(run.options.volumes).isEmpty();
        assertThat(run.options.name).isNull();
        assertThat(run.options.memory).isNull();
        assertThat(((VesselCli) again.getCommand()).host).isNull();
        CliRelay.give("run", again);
    }

    @Test
    void badCallsAreRefusedWithAClearError() {
        assertThatThrownBy(() -> CliRelay.Call.parse("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> CliRelay.Call.parse(
                        "{\"args\":\"ps\",\"cwd\":\"/\",\"socket\":\"/s\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("args (an array)");
        assertThatThrownBy(() -> CliRelay.Call.parse(
                        "{\"args\":[],\"cwd\":\"rel\",\"socket\":\"/s\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not an absolute path");
        var ok = CliRelay.Call.parse(
                "{\"args\":[\"ps\",\"-o\",\"json\"],\"cwd\":\"/tmp\",\"socket\":\"/s\",\"env\":{\"X\":\"y\"},\"terminal\":true}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(ok.args()).containsExactly("ps", "-o", "json");
        assertThat(ok.env()).containsEntry("X", "y");
        assertThat(ok.terminal()).isTrue();
        assertThat(ok.errTerminal()).isFalse();
    }

    @Test
    void onlyTheUnixSocketRelaysAndOnlyAsAnUpgrade() throws Exception {
        var router = new Router().register(new CliRelay());
        byte[] body = "{\"args\":[\"ps\"],\"cwd\":\"/\",\"socket\":\"/s\",\"env\":{\"VESSEL_HOST\":\"unix:///s\"}}"
                .getBytes(StandardCharsets.UTF_8);
        var upgrade = Map.of("connection", "Upgrade", "upgrade", CliRelay.PROTOCOL);
        assertThatThrownBy(() -> router.dispatch(HttpRequest.of("POST", "/api/v1/cli", upgrade, body, "tcp")))
                .hasMessageContaining("unix socket only");
        assertThatThrownBy(() -> router.dispatch(HttpRequest.of("POST", "/api/v1/cli", Map.of(), body, "unix")))
                .hasMessageContaining("Upgrade: vessel-cli");
        assertThat(router.dispatch(HttpRequest.of("POST", "/api/v1/cli", upgrade, body, "unix")))
                .isInstanceOf(HttpResponse.Upgrade.class);
        byte[] local =
                "{\"args\":[\"run\",\"-it\",\"img\"],\"cwd\":\"/\",\"socket\":\"/s\",\"env\":{\"VESSEL_HOST\":\"unix:///s\"}}"
                        .getBytes(StandardCharsets.UTF_8);
        var answer = router.dispatch(HttpRequest.of("POST", "/api/v1/cli", upgrade, local, "unix"));
        assertThat(answer).isInstanceOf(HttpResponse.Full.class);
        assertThat(new String(((HttpResponse.Full) answer).body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"run\":\"local\"}");
    }
}
