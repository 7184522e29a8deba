package dev.vessel.cli;

import dev.vessel.model.LoginRequest;
import dev.vessel.model.LogoutRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel login} / {@code vessel logout}: registry credentials the daemon checks, keeps (0600) and pulls with. */
final class LoginCommand {
    private LoginCommand() {}

    @Command(
            name = "login",
            mixinStandardHelpOptions = true,
            description = {
                "Log in to a registry: the daemon checks the credentials with it, then uses them for every pull from it.",
                "  echo \"$TOKEN\" | vessel login registry.example.com -u me --password-stdin"
            })
    static final class Login extends ApiCommand implements LocalCall {
        @Parameters(index = "0", paramLabel = "REGISTRY", description = "host or host:port")
        String registry;

        @Option(
                names = {"-u", "--username"},
                required = true,
                paramLabel = "USER")
        String username;

        @Option(names = "--password-stdin", description = "Read the password (or token) from standard input.")
        boolean passwordStdin;

        @Option(
                names = {"-p", "--password"},
                paramLabel = "PASSWORD",
                description = "Insecure: it shows in the process list; prefer --password-stdin.")
        String password;

        @Override
        public boolean runsLocally() {
            return passwordStdin;
        }

        @Override
        public Integer call() {
            String pw = password;
            if (passwordStdin) {
                if (password != null) {
                    throw new CliError(ExitCodes.USAGE, "--password and --password-stdin exclude each other");
                }
                try {
                    pw = new String(CliContext.current().in().readAllBytes(), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new CliError(
                            ExitCodes.FAILED, "cannot read the password from standard input: " + e.getMessage());
                }
            } else if (pw == null) {
                throw new CliError(ExitCodes.USAGE, "give the password with --password-stdin (or --password)");
            } else {
                err().println(
                                "vessel: warning: --password is visible to other users of this host; use --password-stdin");
            }
            var r = api().send("/api/v1/registries/login", new LoginRequest(registry, username, pw));
            if (json()) {
                Output.json(out(), r);
            } else {
                out().println("Login Succeeded: " + r.path("username").asText() + " at "
                        + r.path("registry").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "logout", mixinStandardHelpOptions = true, description = "Forget the credentials of a registry.")
    static final class Logout extends ApiCommand {
        @Parameters(index = "0", paramLabel = "REGISTRY")
        String registry;

        @Override
        public Integer call() {
            api().send("/api/v1/registries/logout", new LogoutRequest(registry));
            out().println("Removed login credentials for " + registry);
            return ExitCodes.OK;
        }
    }
}
