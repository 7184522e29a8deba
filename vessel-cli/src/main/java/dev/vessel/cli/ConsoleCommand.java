package dev.vessel.cli;

import dev.vessel.core.error.VesselException;
import dev.vessel.http.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        description = {"Attach to a VM's serial console. Detach with Ctrl-] (like telnet and virsh console)."})
final class ConsoleCommand extends ApiCommand implements LocalCall {
    @Override
    public boolean runsLocally() {
        return true;
    }

    static final int DETACH = 0x1d;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
        Object r;
        try {
            r = api().client().upgrade("/api/v1/instances/" + Api.enc(name) + "/console", "vessel-console");
        } catch (VesselException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, e.getMessage());
        }
        if (r instanceof ApiClient.Response resp) {
            throw Api.problem(resp.status(), resp.body());
        }
        var conn = (ApiClient.Upgraded) r;
        boolean tty = System.console() != null && System.console().isTerminal();
        if (tty) {
            stty("raw", "-echo");
            System.err.print("Connected to " + name + ". Detach with Ctrl-].\r\n");
        }
        try (conn) {
            Thread reader = Thread.ofVirtual().start(() -> copy(conn.in(), System.out));
            forward(System.in, conn.out());
            conn.channel().shutdownOutput();
            reader.join(500);
        } finally {
            if (tty) {
                stty("sane");
                System.err.println();
            }
        }
        return ExitCodes.OK;
    }

    /** Sends keyboard input to the guest until Ctrl-] or end of input. */
    static void forward(InputStream in, OutputStream out) throws IOException {
        byte[] b = new byte[1024];
        int n;
        while ((n = in.read(b)) > 0) {
            for (int i = 0; i < n; i++) {
                if ((b[i] & 0xff) == DETACH) {
                    out.write(b, 0, i);
                    out.flush();
                    return;
                }
            }
            out.write(b, 0, n);
            out.flush();
        }
    }

    private static void copy(InputStream in, OutputStream out) {
        byte[] b = new byte[8192];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                out.write(b, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the connection closed
        }
    }

    private static void stty(String... args) {
        var cmd = new java.util.ArrayList<>(List.of("/bin/stty"));
        cmd.addAll(List.of(args));
        try {
            new ProcessBuilder(cmd)
                    .inheritIO()
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new CliError(ExitCodes.FAILED, "cannot set the terminal mode: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
