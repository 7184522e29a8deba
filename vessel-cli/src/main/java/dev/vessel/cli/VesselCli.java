package dev.vessel.cli;

import dev.vessel.http.ApiClient;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        footer = {
            "",
            "Exit codes: 0 ok, 1 failed, 2 usage, 3 invalid input, 4 not found, 5 conflict, 6 daemon unreachable, 7 timeout, 8 permission denied, 9 quota exceeded."
        })
public final class VesselCli {
    @Option(
            names = {"-H", "--host"},
            scope = ScopeType.INHERIT,
            paramLabel = "ENDPOINT",
            description =
                    "Daemon endpoint: unix:///path, https://host:port, or a remote's name (env VESSEL_HOST; default unix:///run/vessel/vessel.sock).")
    String host;

    @Option(
            names = "--token",
            scope = ScopeType.INHERIT,
            paramLabel = "TOKEN",
            description = "API token (USER!ID=SECRET) or ticket for a TCP endpoint (env VESSEL_TOKEN).")
    String token;

    @Option(
            names = "--project",
            scope = ScopeType.INHERIT,
            paramLabel = "PROJECT",
            description = "The project to work in (env VESSEL_PROJECT; default: the default project).")
    String project;

    Api api() {
        String h = endpoint();
        String t = token != null ? token : CliContext.current().env("VESSEL_TOKEN");
        ApiClient client;
        if (!h.contains("://")) {
            var r = Remotes.get(h);
            var ca = dev.vessel.access.tls.NodeCertificates.parsePem(r.caPem());
            // The client's own certificate goes with every handshake: it logs in where an administrator trusts it.
            var keys = Remotes.identity().keyManagers();
            client = new ApiClient(r.url(), t != null ? t : r.token(), dev.vessel.http.PinnedTrust.trusting(ca, keys));
        } else {
            client = new ApiClient(h, t);
        }
        String p = project();
        return new Api(p == null ? client : client.inProject(p));
    }

    /** The project this call works in: --project, else VESSEL_PROJECT, else null (the default one). */
    String project() {
        String p = project != null ? project : CliContext.current().env("VESSEL_PROJECT");
        if (p == null || p.isEmpty()) {
            return null;
        }
        return dev.vessel.core.model.Names.requireValid("project", p);
    }

    /** The daemon this call talks to: -H, else VESSEL_HOST, else the default socket. */
    String endpoint() {
        String env = CliContext.current().env("VESSEL_HOST");
        return host != null ? host : env != null ? env : DEFAULT_HOST;
    }

    static final String DEFAULT_HOST = "unix:///run/vessel/vessel.sock";

    /**
     * The top-level commands in the order help lists them. Picocli reads every command's annotations when it builds
     * the tree (reflection, annotation proxies), which was most of a CLI call's time; {@link #run} builds only the
     * branch the arguments ask for, and the whole tree for help, completion and anything it does not recognise.
     */
    static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        var m = new LinkedHashMap<String, Class<?>>();
        m.put("vm", VmCommand.class);
        m.put("run", RunCommand.class);
        m.put("pull", PullCommand.class);
        m.put("login", LoginCommand.Login.class);
        m.put("logout", LoginCommand.Logout.class);
        m.put("container", ContainerCommand.class);
        m.put("ps", PsCommand.class);
        m.put("inspect", InspectCommand.class);
        m.put("image", ImageCommand.class);
        m.put("task", TaskCommand.class);
        m.put("events", EventsCommand.class);
        m.put("stats", StatsCommand.class);
        m.put("volume", VolumeCommand.class);
        m.put("pool", PoolCommand.class);
        m.put("snapshot", SnapshotCommand.class);
        m.put("backup", BackupCommand.class);
        m.put("network", NetworkCommand.class);
        m.put("port", PortCommand.class);
        m.put("project", ProjectCommand.class);
        m.put("remote", RemoteCommand.class);
        m.put("user", UserCommand.class);
        m.put("token", TokenCommand.class);
        m.put("role", RoleCommand.class);
        m.put("acl", AclCommand.class);
        m.put("audit", AuditCommand.class);
        m.put("trust", TrustCommand.class);
        m.put("version", VersionCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        m.put("completion", CompletionCommand.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The whole command tree (help, completion, documentation tests). */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, COMMANDS.keySet());
    }

    /** The command tree with only the top-level command {@code args} names, or all of them when unsure. */
    public static CommandLine commandLine(String[] args, PrintStream out, PrintStream err) {
        return bind(tree(branch(args)), out, err);
    }

    /** The top-level command whose branch {@code args} need, or "*" for the whole tree. */
    static String branch(String[] args) {
        String first = firstCommand(args);
        boolean one =
                first != null && COMMANDS.containsKey(first) && !first.equals("help") && !first.equals("completion");
        return one ? first : "*";
    }

    /** Sends the tree's help, usage and error messages to these streams. */
    static CommandLine bind(CommandLine cl, PrintStream out, PrintStream err) {
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl;
    }

    /** The first argument that is not a global option (or its value), or null when there is none. */
    static String firstCommand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-H") || a.equals("--host") || a.equals("--token") || a.equals("--project")) {
                i++; // its value
            } else if (!a.startsWith("-")) {
                return a;
            } else if (!a.startsWith("--host=")
                    && !a.startsWith("--token=")
                    && !a.startsWith("--project=")
                    && !(a.startsWith("-H") && a.length() > 2)) {
                return null; // -h, --version, or something picocli should judge with the whole tree
            }
        }
        return null;
    }

    /** The whole command tree bound to these streams. */
    private static CommandLine commandLine(PrintStream out, PrintStream err, java.util.Collection<String> names) {
        return bind(tree(names), out, err);
    }

    /** A new, unbound command tree for {@link #branch}'s answer. */
    static CommandLine tree(String branch) {
        return tree(branch.equals("*") ? COMMANDS.keySet() : List.of(branch));
    }

    private static CommandLine tree(java.util.Collection<String> names) {
        var cl = new CommandLine(new VesselCli());
        for (String name : names) {
            cl.addSubcommand(name, COMMANDS.get(name));
        }
        // docker-style: everything after the image (or the container) is the command, options included.
        var subs = cl.getSubcommands();
        if (subs.containsKey("run")) {
            subs.get("run").setStopAtPositional(true);
        }
        if (subs.containsKey("container")) {
            subs.get("container").getSubcommands().get("create").setStopAtPositional(true);
            subs.get("container").getSubcommands().get("exec").setStopAtPositional(true);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CliError e) {
                cmd.getErr().println("vessel: " + e.getMessage());
                return e.exitCode();
            }
            cmd.getErr().println("vessel: " + ex);
            return ExitCodes.FAILED;
        });
        return cl;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return commandLine(args, out, err).execute(args);
    }

    /** Prints a usage error as {@link CommandLine#execute} does; returns its exit code. */
    static int usageError(CommandLine cl, CommandLine.ParameterException e, String[] args) {
        try {
            return cl.getParameterExceptionHandler().handleParseException(e, args);
        } catch (Exception again) {
            cl.getErr().println("vessel: " + again.getMessage());
            return ExitCodes.USAGE;
        }
    }

    /** Runs parsed arguments as {@link CommandLine#execute} would (help, version, the command and its errors). */
    static int execute(CommandLine cl, CommandLine.ParseResult parsed) {
        try {
            return cl.getExecutionStrategy().execute(parsed);
        } catch (CommandLine.ExecutionException e) {
            Exception cause = e.getCause() instanceof Exception c ? c : e;
            try {
                return cl.getExecutionExceptionHandler().handleExecutionException(cause, e.getCommandLine(), parsed);
            } catch (Exception again) {
                cl.getErr().println("vessel: " + again);
                return ExitCodes.FAILED;
            }
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
