package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.access.AccessModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel user}: the node's users (the local realm). */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = "Manage the node's users (the local realm). Root on the unix socket is always the administrator.",
        subcommands = {UserCommand.Add.class, UserCommand.Ls.class, UserCommand.Rm.class, UserCommand.Passwd.class})
final class UserCommand {
    private UserCommand() {}

    /** Reads a password: from stdin with --password-stdin, else asked twice on the terminal. */
    static String password(boolean stdin, String prompt) {
        var ctx = CliContext.current();
        try {
            if (stdin) {
                return new String(ctx.in().readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            var console = System.console();
            if (console == null) {
                throw new CliError(ExitCodes.USAGE, "no terminal to ask for the password on; use --password-stdin");
            }
            char[] a = console.readPassword(prompt);
            char[] b = console.readPassword("Again: ");
            if (a == null || b == null || !java.util.Arrays.equals(a, b)) {
                throw new CliError(ExitCodes.USAGE, "the passwords differ");
            }
            return new String(a);
        } catch (IOException e) {
            throw new CliError(ExitCodes.FAILED, "cannot read the password: " + e.getMessage());
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Add a user. It may do nothing until an ACL entry gives it a role (vessel acl set).",
                "  echo \"$PW\" | vessel user add alice --group ops --password-stdin"
            })
    static final class Add extends ApiCommand implements LocalCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--group", paramLabel = "GROUP", description = "A group the user is in (repeatable).")
        List<String> groups = new ArrayList<>();

        @Option(names = "--comment", paramLabel = "TEXT")
        String comment;

        @Option(names = "--password-stdin", description = "Read the password from standard input.")
        boolean passwordStdin;

        @Override
        public boolean runsLocally() {
            return true;
        }

        @Override
        public Integer call() {
            String pw = password(passwordStdin, "Password for " + name + ": ");
            var u = api().send("/api/v1/access/users", new AccessModel.UserCreateRequest(name, pw, groups, comment));
            if (json()) {
                Output.json(out(), u);
            } else {
                out().println(name);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List users.")
    static final class Ls extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/access/users");
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode u : list) {
                var gs = new ArrayList<String>();
                u.path("groups").forEach(g -> gs.add(g.asText()));
                rows.add(List.of(
                        u.path("name").asText(),
                        gs.isEmpty() ? "-" : String.join(",", gs),
                        u.path("enabled").asBoolean() ? "yes" : "no",
                        u.path("tokens").asText(),
                        Output.ago(u.path("created").asText())));
            }
            Output.table(out(), List.of("NAME", "GROUPS", "ENABLED", "TOKENS", "CREATED"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Remove a user, its tokens and its ACL entries.")
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            api().delete("/api/v1/access/users/" + Api.enc(name));
            out().println(name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Set a user's password.")
    static final class Passwd extends ApiCommand implements LocalCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--password-stdin", description = "Read the password from standard input.")
        boolean passwordStdin;

        @Override
        public boolean runsLocally() {
            return true;
        }

        @Override
        public Integer call() {
            String pw = password(passwordStdin, "New password for " + name + ": ");
            var body = Api.object().put("password", pw);
            api().call("PUT", "/api/v1/access/users/" + Api.enc(name) + "/password", body);
            out().println(name);
            return ExitCodes.OK;
        }
    }
}
