package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.access.AccessModel;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel token}: users' API tokens. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Manage API tokens. A token never has more rights than its user.",
        subcommands = {TokenCommand.Add.class, TokenCommand.Ls.class, TokenCommand.Rm.class})
final class TokenCommand {
    private TokenCommand() {}

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Make an API token; its secret is shown once.",
                "With privilege separation (the default) it has only what its own ACL entries give",
                "(vessel acl set / alice!ci ROLE), within its user's rights.",
                "  vessel token add alice ci --expires 30d --no-privsep"
            })
    static final class Add extends ApiCommand {
        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Parameters(index = "1", paramLabel = "ID")
        String id;

        @Option(names = "--no-privsep", description = "The token has all its user's rights.")
        boolean noPrivsep;

        @Option(names = "--expires", paramLabel = "WHEN", description = "A duration (30d, 12h) or an ISO-8601 time.")
        String expires;

        @Option(names = "--comment", paramLabel = "TEXT")
        String comment;

        @Override
        public Integer call() {
            var t = api().send(
                            "/api/v1/access/users/" + Api.enc(user) + "/tokens",
                            new AccessModel.TokenCreateRequest(id, !noPrivsep, when(expires), comment));
            if (json()) {
                Output.json(out(), t);
            } else {
                out().println(t.path("value").asText());
                err().println(
                                "Keep it: the secret is not shown again. Use it as VESSEL_TOKEN or Authorization: Bearer.");
            }
            return ExitCodes.OK;
        }
    }

    static Instant when(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            var m = java.util.regex.Pattern.compile("(\\d{1,6})([mhd])").matcher(s);
            if (!m.matches()) {
                throw new CliError(
                        ExitCodes.INVALID, "'" + s + "' is neither a duration (30d, 12h, 90m) nor an ISO-8601 time");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now().plus(d);
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List a user's tokens.")
    static final class Ls extends ApiCommand {
        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/access/users/" + Api.enc(user) + "/tokens");
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode t : list) {
                rows.add(List.of(
                        t.path("tokenId").asText(),
                        t.path("privsep").asBoolean() ? "yes" : "no",
                        t.path("expires").isNull() || t.path("expires").isMissingNode()
                                ? "never"
                                : t.path("expires").asText(),
                        t.path("comment").asText()));
            }
            Output.table(out(), List.of("TOKEN", "PRIVSEP", "EXPIRES", "COMMENT"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Revoke a token.")
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Parameters(index = "1", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            api().delete("/api/v1/access/users/" + Api.enc(user) + "/tokens/" + Api.enc(id));
            out().println(user + "!" + id);
            return ExitCodes.OK;
        }
    }
}
