package dev.vessel.cli;

import dev.vessel.http.ApiClient;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code vessel}: the command-line client of the Vessel API. It only talks to the daemon. */
@Command(
        name = "vessel",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Manage VMs and containers on a Vessel node.",
        subcommands = {
            VmCommand.class,
            RunCommand.class,
            PullCommand.class,
            ContainerCommand.class,
            PsCommand.class,
            InspectCommand.class,
            ImageCommand.class,
            TaskCommand.class,
            EventsCommand.class,
            VolumeCommand.class,
            PoolCommand.class,
            SnapshotCommand.class,
            BackupCommand.class,
            NetworkCommand.class,
            PortCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class,
            CompletionCommand.class
        },
        footer = {"", "Exit codes: 0 ok, 1 failed, 2 usage, 3 invalid input, 4 not found, 5 conflict, 6 daemon unreachable, 7 timeout."})
public final class VesselCli {
    @Option(names = {"-H", "--host"}, scope = ScopeType.INHERIT, paramLabel = "ENDPOINT",
            description = "Daemon endpoint: unix:///path or tcp://host:port (env VESSEL_HOST; default unix:///run/vessel/vessel.sock).")
    String host;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "Bearer token for a TCP endpoint (env VESSEL_TOKEN).")
    String token;

    Api api() {
        String h = host != null ? host : System.getenv().getOrDefault("VESSEL_HOST", "unix:///run/vessel/vessel.sock");
        String t = token != null ? token : System.getenv("VESSEL_TOKEN");
        return new Api(new ApiClient(h, t));
    }

    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        var cl = new CommandLine(new VesselCli());
        // docker-style: everything after the image (or the container) is the command, options included.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        cl.getSubcommands().get("container").getSubcommands().get("create").setStopAtPositional(true);
        cl.getSubcommands().get("container").getSubcommands().get("exec").setStopAtPositional(true);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CliError e) {
                err.println("vessel: " + e.getMessage());
                return e.exitCode();
            }
            err.println("vessel: " + ex);
            return ExitCodes.FAILED;
        });
        return cl;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return commandLine(out, err).execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
