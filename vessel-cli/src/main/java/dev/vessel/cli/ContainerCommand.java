package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "container",
        mixinStandardHelpOptions = true,
        description = "Manage OCI containers (each runs under runc, detached from the daemon).",
        subcommands = {
            ContainerCommand.Create.class,
            LifecycleCommands.Start.class,
            LifecycleCommands.Stop.class,
            LifecycleCommands.Kill.class,
            LifecycleCommands.Restart.class,
            LifecycleCommands.Remove.class,
            ExecCommand.class,
            LogsCommand.class,
            ContainerCommand.Attach.class,
            ContainerCommand.Wait.class,
            InspectCommand.class,
            ContainerCommand.Ls.class,
            ContainerVolumeCommand.class
        })
final class ContainerCommand {
    private ContainerCommand() {}

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a container (stopped); prints its name.")
    static final class Create extends ApiCommand {
        @Mixin
        ContainerOptions options;

        @Parameters(index = "0", paramLabel = "IMAGE")
        String image;

        @Parameters(index = "1..*", paramLabel = "COMMAND")
        List<String> command = new ArrayList<>();

        @Override
        public Integer call() {
            String name = RunCommand.create(api(), options, image, command, err());
            if (json()) {
                Output.json(out(), api().get("/api/v1/instances/" + Api.enc(name)));
            } else {
                out().println(name);
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "attach",
            mixinStandardHelpOptions = true,
            description =
                    "Attach to a running container's process: its output, and its input if it was made with -i. Detach with Ctrl-] (with -t).")
    static final class Attach extends ApiCommand implements LocalCall {
        @Override
        public boolean runsLocally() {
            return true; // its stdin and terminal are the container's
        }

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--no-stdin", description = "Only show the output.")
        boolean noStdin;

        @Override
        public Integer call() throws Exception {
            JsonNode spec = api().get("/api/v1/instances/" + Api.enc(name)).path("spec");
            boolean stdin = !noStdin && spec.path("interactive").asBoolean();
            boolean tty = spec.path("tty").asBoolean() && Terminal.isTty();
            var attached = ContainerSession.attach(api(), name, stdin, false);
            if (tty) {
                Terminal.raw();
            }
            try {
                if (stdin) {
                    attached.sendInput(
                            CliContext.current().in(), spec.path("tty").asBoolean());
                }
                if (tty) {
                    ContainerSession.followSize(api(), name, attached.output());
                }
                attached.awaitOutput();
            } finally {
                if (tty) {
                    Terminal.restore();
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "wait",
            mixinStandardHelpOptions = true,
            description = "Wait until containers stop; print each exit code (as docker wait).")
    static final class Wait extends ApiCommand {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() throws Exception {
            for (String n : names) {
                JsonNode r = ContainerSession.waitForEnd(api(), n, false).get();
                out().println(
                                r == null || !r.path("exitCode").isInt()
                                        ? "unknown"
                                        : r.path("exitCode").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List containers.")
    static final class Ls extends PsCommand {
        @Override
        String path() {
            return "/api/v1/containers";
        }
    }
}
