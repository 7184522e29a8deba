package dev.vessel.dist;

import dev.vessel.access.Need;
import dev.vessel.cli.VesselCli;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpServer;
import dev.vessel.http.Listener;
import dev.vessel.http.RequestObserver;
import dev.vessel.http.Router;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run behind the CLI's class-data-sharing archive ({@code scripts/build}): it loads what CLI calls load —
 * every command's definition and help, the HTTP client, JSON in and out, tables — so that the archive holds those
 * classes already parsed and verified. It talks to a throwaway in-process server on a private unix socket, never to a
 * daemon, and prints nothing.
 */
public final class CliTraining {
    private static final String INSTANCES = """
            [{"id":"5e41a9af251e","name":"demo","kind":"vm","status":"running","image":"tiny",
              "state":{"status":"running","since":"2026-01-01T00:00:00Z"},
              "runtime":{"accel":"tcg","pid":1},
              "memory":{"configured":268435456,"processRss":250000000,"cgroupUsage":230000000},
              "nics":[{"index":0,"network":"default","ip":"10.88.0.2","mac":"0a:56:65:b3:75:44"}]},
             {"id":"7a1b2c3d4e5f","name":"web","kind":"container","status":"exited","image":"app:1",
              "state":{"status":"exited","since":"2026-01-01T00:00:00Z","exitCode":0},
              "memory":{"configured":0},"nics":[]}]""";

    private CliTraining() {}

    public static void main(String[] args) throws IOException {
        var sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        var all = VesselCli.commandLine(sink, sink);
        usage(all, sink);
        Path dir = Files.createTempDirectory("vessel-cli-training");
        Path socket = dir.resolve("api.sock");
        var router = new Router()
                .get(
                        "/api/v1/version",
                        Need.open(),
                        req -> HttpResponse.json(
                                200, "{\"version\":\"training\",\"api\":\"v1\"}".getBytes(StandardCharsets.UTF_8)))
                .get(
                        "/api/v1/instances",
                        Need.open(),
                        req -> HttpResponse.json(200, INSTANCES.getBytes(StandardCharsets.UTF_8)))
                .get(
                        "/api/v1/vms",
                        Need.open(),
                        req -> HttpResponse.json(200, INSTANCES.getBytes(StandardCharsets.UTF_8)));
        var server = new HttpServer(List.of(Listener.unix("training", socket, router)), RequestObserver.NONE).start();
        try {
            String host = "unix://" + socket;
            for (var argv : List.of(
                    List.of("version"),
                    List.of("ps"),
                    List.of("ps", "-o", "json"),
                    List.of("vm", "ls"),
                    List.of("inspect", "nothing"),
                    List.of("run", "--rm", "--help"),
                    List.of("ps", "--no-such-option"))) {
                var full = new java.util.ArrayList<>(List.of("-H", host));
                full.addAll(argv);
                VesselCli.run(full.toArray(String[]::new), sink, sink);
            }
            VesselCli.run(new String[] {"-H", "unix://" + dir.resolve("absent.sock"), "ps"}, sink, sink);
        } finally {
            server.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void usage(CommandLine cl, PrintStream out) {
        cl.usage(out);
        for (var sub : cl.getSubcommands().values()) {
            usage(sub, out);
        }
    }
}
