package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.http.ApiClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vessel vm vnc VM}: the VM's screen for a VNC viewer on this machine. It listens on loopback; each viewer that
 * connects and gives the password it printed gets the screen, which the CLI fetches from the daemon as the web UI's
 * console does (a ticket's one-time VNC password, then the RFB stream over an HTTP upgrade), over the same socket or
 * TLS connection as every other command. QEMU's own VNC server stays on a unix socket in the VM's run dir.
 */
@Command(
        name = "vnc",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a VM's screen to a VNC viewer on this machine (until Ctrl-C).",
            "  vessel vm vnc desk                 then: vncviewer 127.0.0.1:5900",
            "  vessel vm vnc desk --listen 127.0.0.1:5999"
        })
final class VncCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "VM")
    String vm;

    @Option(
            names = "--listen",
            paramLabel = "127.0.0.1:PORT",
            description = "Where viewers connect (loopback only; default the first free of 5900-5999).")
    String listen;

    @Option(names = "--once", description = "End when the first viewer that gave the password leaves.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        // fails now, with the daemon's words, if the VM has no screen or does not run
        ticketPassword();
        String password = RfbAuth.newPassword();
        try (var server = bind()) {
            var at = (InetSocketAddress) server.getLocalSocketAddress();
            if (json()) {
                Output.json(
                        out(),
                        dev.vessel.host.Json.MAPPER
                                .createObjectNode()
                                .put("listen", at.getAddress().getHostAddress() + ":" + at.getPort())
                                .put("password", password));
            } else {
                out().println("vm " + vm + "'s screen: connect a VNC viewer to "
                        + at.getAddress().getHostAddress() + ":" + at.getPort() + " (display :" + (at.getPort() - 5900)
                        + "), password " + password);
                out().println("Ctrl-C ends it.");
            }
            out().flush();
            while (true) {
                Socket viewer = server.accept();
                if (!once) {
                    Thread.ofVirtual().start(() -> serve(viewer, password));
                } else if (serve(viewer, password)) {
                    break;
                }
            }
        }
        return ExitCodes.OK;
    }

    private ServerSocket bind() throws IOException {
        var loopback = InetAddress.getLoopbackAddress();
        if (listen != null) {
            int colon = listen.lastIndexOf(':');
            var host = InetAddress.getByName(colon < 0 ? "127.0.0.1" : listen.substring(0, colon));
            if (!host.isLoopbackAddress()) {
                throw new CliError(
                        ExitCodes.USAGE,
                        "--listen: " + host.getHostAddress()
                                + " is not a loopback address; the screen is for this machine only");
            }
            var s = new ServerSocket();
            s.bind(new InetSocketAddress(host, Integer.parseInt(listen.substring(colon + 1))));
            return s;
        }
        for (int port = 5900; port < 6000; port++) {
            try {
                var s = new ServerSocket();
                s.bind(new InetSocketAddress(loopback, port));
                return s;
            } catch (IOException taken) {
                // the next one
            }
        }
        throw new CliError(ExitCodes.UNAVAILABLE, "ports 5900-5999 on loopback are all taken; give --listen");
    }

    private String ticketPassword() {
        JsonNode t = api().post("/api/v1/instances/" + Api.enc(vm) + "/console/ticket?type=vnc", (JsonNode) null);
        return t.path("password").asText();
    }

    /** Serves one viewer; true if it logged in (whatever happened after). */
    private boolean serve(Socket viewer, String password) {
        boolean in = false;
        try (viewer) {
            var vin = viewer.getInputStream();
            var vout = viewer.getOutputStream();
            if (!RfbAuth.asServer(vin, vout, password)) {
                return false;
            }
            in = true;
            String oneTime = ticketPassword();
            Object r = api().client().upgrade("/api/v1/instances/" + Api.enc(vm) + "/console/screen", "vessel-vnc");
            if (r instanceof ApiClient.Response resp) {
                throw Api.problem(resp.status(), resp.body());
            }
            try (var screen = (ApiClient.Upgraded) r) {
                RfbAuth.asClient(screen.in(), screen.out(), oneTime);
                Thread back = Thread.ofVirtual().start(() -> pump(screen.in(), vout));
                pump(vin, screen.out());
                back.join(1000);
            }
        } catch (IOException | RuntimeException e) {
            err().println("vessel: a viewer's session ended: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return in;
    }

    private static void pump(java.io.InputStream in, java.io.OutputStream out) {
        byte[] b = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                out.write(b, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side left
        }
    }
}
