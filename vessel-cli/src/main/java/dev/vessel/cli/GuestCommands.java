package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.GuestExecRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A running VM's guest agent from the command line: what it says of the guest, and running a program in it. */
final class GuestCommands {
    private GuestCommands() {}

    @Command(
            name = "guest",
            mixinStandardHelpOptions = true,
            description = {
                "What the VM's guest agent (qemu-guest-agent) says: OS, host name, addresses, users.",
                "  vessel vm guest web"
            })
    static final class Info extends ApiCommand {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Override
        public Integer call() {
            JsonNode g = api().get("/api/v1/instances/" + Api.enc(vm) + "/guest");
            if (json()) {
                Output.json(out(), g);
            } else {
                print(out(), g);
            }
            return ExitCodes.OK;
        }
    }

    /** The agent's answer as inspect shows it. */
    static void print(java.io.PrintStream out, JsonNode g) {
        JsonNode os = g.path("os");
        InspectCommand.line(
                out,
                "Guest OS",
                os.path("name").asText("?")
                        + (os.path("kernel").isTextual()
                                ? " (kernel " + os.path("kernel").asText() + ")"
                                : ""));
        InspectCommand.line(out, "Hostname", g.path("hostname").asText("-"));
        for (JsonNode i : g.path("interfaces")) {
            var addrs = new ArrayList<String>();
            i.path("addresses").forEach(a -> addrs.add(a.asText()));
            InspectCommand.line(
                    out,
                    "Guest NIC",
                    i.path("name").asText() + " " + (addrs.isEmpty() ? "-" : String.join(" ", addrs))
                            + (i.path("mac").isTextual()
                                    ? " (MAC " + i.path("mac").asText() + ")"
                                    : ""));
        }
        var users = new ArrayList<String>();
        g.path("users").forEach(u -> users.add(u.asText()));
        InspectCommand.line(out, "Users", users.isEmpty() ? "-" : String.join(", ", users));
    }

    @Command(
            name = "exec",
            mixinStandardHelpOptions = true,
            description = {
                "Run a program in the VM through its guest agent (no shell; no terminal) and exit with its exit code.",
                "  vessel vm exec web -- uname -a",
                "  echo hi | vessel vm exec -i web -- sh -c 'cat > /tmp/x'"
            })
    static final class Exec extends ApiCommand {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD")
        List<String> command;

        @Option(
                names = {"-i", "--interactive"},
                description = "Send what comes on stdin to the program's stdin.")
        boolean interactive;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for it (default 60).")
        Integer timeout;

        @Override
        public Integer call() {
            String input = null;
            if (interactive) {
                try {
                    input = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new CliError(ExitCodes.USAGE, "cannot read stdin: " + e.getMessage());
                }
            }
            JsonNode r = api().send(
                            "/api/v1/instances/" + Api.enc(vm) + "/guest/exec",
                            new GuestExecRequest(command, input, timeout));
            if (json()) {
                Output.json(out(), r);
                return ExitCodes.OK;
            }
            out().print(r.path("stdout").asText());
            out().flush();
            err().print(r.path("stderr").asText());
            err().flush();
            if (r.path("truncated").asBoolean()) {
                err().println("vessel: the guest agent cut the output short");
            }
            return r.path("exitCode").asInt();
        }
    }
}
