package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.InstanceView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** start, stop, kill, restart and rm: each waits for its task and prints the instance's new state. */
final class LifecycleCommands {
    private LifecycleCommands() {}

    abstract static class Op extends ApiCommand {
        @Parameters(arity = "1..*", paramLabel = "NAME", description = "Instance name(s).")
        List<String> names;

        abstract String path(String name);

        @Override
        public Integer call() {
            int rc = ExitCodes.OK;
            for (String n : names) {
                try {
                    JsonNode task = api().post("/api/v1/instances/" + Api.enc(n) + "/" + path(n), null);
                    TaskWaiter.await(api(), task, err(), json());
                    JsonNode i = api().get("/api/v1/instances/" + Api.enc(n));
                    if (json()) {
                        Output.json(out(), i);
                    } else {
                        out().println(States.outcome(n, Api.read(i, InstanceView.class)));
                    }
                } catch (CliError e) {
                    err().println("vessel: " + e.getMessage());
                    rc = e.exitCode();
                }
            }
            return rc;
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start instances; with --wait, until the guest is ready.")
    static final class Start extends Op {
        @Option(
                names = "--wait",
                description =
                        "Return only when the guest is ready: it printed its ready marker, or with --wait-port"
                                + " that TCP port answers, or else it holds the DHCP lease of its first NIC. The task log says which.")
        boolean await;

        @Option(
                names = "--wait-port",
                paramLabel = "PORT",
                description = "With --wait: wait until this TCP port of the guest answers.")
        Integer waitPort;

        @Option(
                names = "--timeout",
                paramLabel = "SECONDS",
                defaultValue = "300",
                description = "How long --wait waits (default ${DEFAULT-VALUE}).")
        int timeout;

        @Override
        String path(String name) {
            return "start"
                    + (await
                            ? "?wait=true&timeout=" + timeout + (waitPort == null ? "" : "&waitPort=" + waitPort)
                            : "");
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop instances gracefully: ACPI power-off for VMs, then a kill after the timeout.")
    static final class Stop extends Op {
        @Option(
                names = {"-t", "--timeout"},
                paramLabel = "SECONDS",
                description = "Override the instance's stop timeout.")
        Integer timeout;

        @Override
        String path(String name) {
            return "stop" + (timeout == null ? "" : "?timeout=" + timeout);
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "End instances at once.")
    static final class Kill extends Op {
        @Override
        String path(String name) {
            return "kill";
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Stop, then start instances.")
    static final class Restart extends Op {
        @Option(
                names = {"-t", "--timeout"},
                paramLabel = "SECONDS",
                description = "Override the stop timeout.")
        Integer timeout;

        @Option(names = "--wait", description = "Return only when the guest is ready again (see start --wait).")
        boolean await;

        @Option(
                names = "--wait-port",
                paramLabel = "PORT",
                description = "With --wait: wait until this TCP port of the guest answers.")
        Integer waitPort;

        @Override
        String path(String name) {
            var q = new java.util.ArrayList<String>();
            if (timeout != null) {
                q.add("timeout=" + timeout);
            }
            if (await) {
                q.add("wait=true");
                if (waitPort != null) {
                    q.add("waitPort=" + waitPort);
                }
            }
            return "restart" + (q.isEmpty() ? "" : "?" + String.join("&", q));
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Remove stopped instances and everything they own.")
    static final class Remove extends ApiCommand {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Option(
                names = {"-f", "--force"},
                description = "Kill a running instance first.")
        boolean force;

        @Override
        public Integer call() {
            int rc = ExitCodes.OK;
            for (String n : names) {
                try {
                    api().delete("/api/v1/instances/" + Api.enc(n) + (force ? "?force=true" : ""));
                    out().println(n);
                } catch (CliError e) {
                    err().println("vessel: " + e.getMessage());
                    rc = e.exitCode();
                }
            }
            return rc;
        }
    }
}
