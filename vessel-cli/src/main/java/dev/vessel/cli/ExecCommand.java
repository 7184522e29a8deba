package dev.vessel.cli;

import dev.vessel.core.error.VesselException;
import dev.vessel.http.ApiClient;
import dev.vessel.http.Frames;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Run a command in a running container; ends with the command's exit code.",
            "  vessel container exec web cat /etc/hostname",
            "  vessel container exec -it web sh"
        })
final class ExecCommand extends ApiCommand implements LocalCall {
    @Override
    public boolean runsLocally() {
        return interactive || tty;
    }

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Option(
            names = {"-i", "--interactive"},
            description = "Send stdin to the command.")
    boolean interactive;

    @Option(
            names = {"-t", "--tty"},
            description = "Give the command a terminal.")
    boolean tty;

    @Option(
            names = {"-e", "--env"},
            paramLabel = "KEY=VALUE",
            description = "Repeatable.")
    List<String> env = new ArrayList<>();

    @Option(
            names = {"-u", "--user"},
            paramLabel = "USER[:GROUP]")
    String user;

    @Option(
            names = {"-w", "--workdir"},
            paramLabel = "DIR")
    String workdir;

    @Override
    public Integer call() throws Exception {
        boolean raw = tty && Terminal.isTty();
        var q = new StringBuilder(
                "/api/v1/instances/" + Api.enc(name) + "/exec?interactive=" + interactive + "&tty=" + tty);
        command.forEach(c -> q.append("&cmd=").append(Api.enc(c)));
        env.forEach(e -> q.append("&env=").append(Api.enc(e)));
        if (user != null) {
            q.append("&user=").append(Api.enc(user));
        }
        if (workdir != null) {
            q.append("&workdir=").append(Api.enc(workdir));
        }
        int[] size = raw ? Terminal.size() : null;
        if (size != null) {
            q.append("&rows=").append(size[0]).append("&cols=").append(size[1]);
        }
        Object r;
        try {
            r = api().client().upgrade(q.toString(), "vessel-exec");
        } catch (VesselException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, e.getMessage());
        }
        if (r instanceof ApiClient.Response resp) {
            throw Api.problem(resp.status(), resp.body());
        }
        var conn = (ApiClient.Upgraded) r;
        if (raw) {
            Terminal.raw();
        }
        try (conn) {
            if (interactive) {
                var stdin = CliContext.current().in();
                Thread.ofVirtual().start(() -> {
                    byte[] b = new byte[4096];
                    try {
                        int n;
                        while ((n = stdin.read(b)) > 0) {
                            conn.out().write(b, 0, n);
                            conn.out().flush();
                        }
                        conn.channel().shutdownOutput();
                    } catch (IOException e) {
                        // the session ended
                    }
                });
            }
            return frames(new DataInputStream(conn.in()));
        } finally {
            if (raw) {
                Terminal.restore();
            }
        }
    }

    /** Reads the daemon's frames (stream byte, 3 zero bytes, 4-byte length, payload) until the exit code. */
    static int frames(DataInputStream in) throws IOException {
        var ctx = CliContext.current();
        try {
            while (true) {
                Frames.Frame f = Frames.read(in);
                if (f == null) {
                    throw new EOFException();
                }
                byte[] b = f.payload();
                int stream = f.stream();
                switch (stream) {
                    case 1 -> {
                        ctx.out().write(b);
                        ctx.out().flush();
                    }
                    case 2 -> {
                        ctx.err().write(b);
                        ctx.err().flush();
                    }
                    case 3 -> {
                        return Integer.parseInt(new String(b, StandardCharsets.US_ASCII).strip());
                    }
                    default -> throw new CliError(ExitCodes.FAILED, "the daemon sent an unknown exec frame " + stream);
                }
            }
        } catch (EOFException e) {
            throw new CliError(ExitCodes.FAILED, "the exec session ended without an exit code");
        }
    }
}
