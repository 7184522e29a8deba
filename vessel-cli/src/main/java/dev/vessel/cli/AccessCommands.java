package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.access.AccessModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel user|token|role|acl|audit}: the node's users, their API tokens, roles, the ACL and the audit log. */
final class AccessCommands {
    private AccessCommands() {}

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
            name = "user",
            mixinStandardHelpOptions = true,
            description =
                    "Manage the node's users (the local realm). Root on the unix socket is always the administrator.",
            subcommands = {UserCmd.Add.class, UserCmd.Ls.class, UserCmd.Rm.class, UserCmd.Passwd.class})
    static final class UserCmd {
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
                var u = api().send(
                                "/api/v1/access/users", new AccessModel.UserCreateRequest(name, pw, groups, comment));
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

    @Command(
            name = "token",
            mixinStandardHelpOptions = true,
            description = "Manage API tokens. A token never has more rights than its user.",
            subcommands = {TokenCmd.Add.class, TokenCmd.Ls.class, TokenCmd.Rm.class})
    static final class TokenCmd {
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

            @Option(
                    names = "--expires",
                    paramLabel = "WHEN",
                    description = "A duration (30d, 12h) or an ISO-8601 time.")
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
                            ExitCodes.INVALID,
                            "'" + s + "' is neither a duration (30d, 12h, 90m) nor an ISO-8601 time");
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

    @Command(
            name = "role",
            mixinStandardHelpOptions = true,
            description =
                    "List roles (Administrator, Operator, Auditor, NoAccess are built in) and manage custom ones.",
            subcommands = {RoleCmd.Ls.class, RoleCmd.Add.class, RoleCmd.Rm.class})
    static final class RoleCmd {
        @Command(name = "ls", mixinStandardHelpOptions = true, description = "List roles and their privileges.")
        static final class Ls extends ApiCommand {
            @Override
            public Integer call() {
                JsonNode list = api().get("/api/v1/access/roles");
                if (json()) {
                    Output.json(out(), list);
                    return ExitCodes.OK;
                }
                var rows = new ArrayList<List<String>>();
                for (JsonNode r : list) {
                    var ps = new ArrayList<String>();
                    r.path("privileges").forEach(p -> ps.add(p.asText()));
                    rows.add(List.of(
                            r.path("name").asText(),
                            r.path("builtin").asBoolean() ? "yes" : "no",
                            ps.isEmpty() ? "-" : String.join(" ", ps)));
                }
                Output.table(out(), List.of("NAME", "BUILTIN", "PRIVILEGES"), rows);
                return ExitCodes.OK;
            }
        }

        @Command(
                name = "add",
                mixinStandardHelpOptions = true,
                description = {"Add a custom role.", "  vessel role add VMUser VM.Audit VM.PowerMgmt VM.Console"})
        static final class Add extends ApiCommand {
            @Parameters(index = "0", paramLabel = "NAME")
            String name;

            @Parameters(index = "1..*", paramLabel = "PRIVILEGE", arity = "1..*")
            List<String> privileges;

            @Override
            public Integer call() {
                api().send("/api/v1/access/roles", new AccessModel.RoleCreateRequest(name, privileges));
                out().println(name);
                return ExitCodes.OK;
            }
        }

        @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a custom role no ACL entry gives.")
        static final class Rm extends ApiCommand {
            @Parameters(index = "0", paramLabel = "NAME")
            String name;

            @Override
            public Integer call() {
                api().delete("/api/v1/access/roles/" + Api.enc(name));
                out().println(name);
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "acl",
            mixinStandardHelpOptions = true,
            description =
                    "Give roles on paths (/, /vms, /vms/NAME, /containers/NAME, /pools/NAME, /networks/NAME, ...).",
            subcommands = {AclCmd.Ls.class, AclCmd.Set.class, AclCmd.Rm.class})
    static final class AclCmd {
        @Command(name = "ls", mixinStandardHelpOptions = true, description = "List ACL entries.")
        static final class Ls extends ApiCommand {
            @Override
            public Integer call() {
                JsonNode list = api().get("/api/v1/access/acl");
                if (json()) {
                    Output.json(out(), list);
                    return ExitCodes.OK;
                }
                var rows = new ArrayList<List<String>>();
                for (JsonNode e : list) {
                    rows.add(List.of(
                            e.path("path").asText(),
                            e.path("principal").asText(),
                            e.path("role").asText(),
                            e.path("propagate").asBoolean() ? "yes" : "no"));
                }
                Output.table(out(), List.of("PATH", "WHO", "ROLE", "PROPAGATE"), rows);
                return ExitCodes.OK;
            }
        }

        @Command(
                name = "set",
                mixinStandardHelpOptions = true,
                description = {
                    "Give a role on a path to a user, @group or USER!TOKEN. It holds below the path too unless --no-propagate.",
                    "  vessel acl set /vms alice Operator"
                })
        static final class Set extends ApiCommand {
            @Parameters(index = "0", paramLabel = "PATH")
            String path;

            @Parameters(index = "1", paramLabel = "WHO")
            String principal;

            @Parameters(index = "2", paramLabel = "ROLE")
            String role;

            @Option(names = "--no-propagate", description = "Only on this path, not below it.")
            boolean noPropagate;

            @Override
            public Integer call() {
                var body = Api.object()
                        .put("path", path)
                        .put("principal", principal)
                        .put("role", role)
                        .put("propagate", !noPropagate);
                api().call("PUT", "/api/v1/access/acl", body);
                out().println(principal + " " + role + " " + path);
                return ExitCodes.OK;
            }
        }

        @Command(
                name = "rm",
                mixinStandardHelpOptions = true,
                description = "Take a role (all, without ROLE) on a path back.")
        static final class Rm extends ApiCommand {
            @Parameters(index = "0", paramLabel = "PATH")
            String path;

            @Parameters(index = "1", paramLabel = "WHO")
            String principal;

            @Parameters(index = "2", paramLabel = "ROLE", arity = "0..1")
            String role;

            @Override
            public Integer call() {
                api().delete("/api/v1/access/acl?path=" + Api.enc(path) + "&principal=" + Api.enc(principal)
                        + (role == null ? "" : "&role=" + Api.enc(role)));
                out().println(principal + " " + path);
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "audit",
            mixinStandardHelpOptions = true,
            description = {
                "Show the audit log: every call that changed something.",
                "  vessel audit --user alice --since 1h"
            })
    static final class Audit extends ApiCommand {
        @Option(names = "--user", paramLabel = "USER")
        String user;

        @Option(names = "--since", paramLabel = "WHEN", description = "A duration back (1h, 7d) or an ISO-8601 time.")
        String since;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "100",
                description = "At most N entries, the newest (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            var q = new StringBuilder("/api/v1/audit?limit=" + limit);
            if (user != null) {
                q.append("&user=").append(Api.enc(user));
            }
            if (since != null) {
                Instant t;
                try {
                    t = Instant.parse(since);
                } catch (DateTimeParseException e) {
                    Instant ahead = TokenCmd.when(since);
                    t = Instant.now().minus(Duration.between(Instant.now(), ahead));
                }
                q.append("&since=").append(Api.enc(t.toString()));
            }
            JsonNode list = api().get(q.toString());
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode e : list) {
                rows.add(List.of(
                        e.path("time").asText(),
                        e.path("user").asText(),
                        e.path("source").asText(),
                        e.path("verb").asText() + " " + e.path("path").asText(),
                        e.path("status").asText(),
                        e.path("task").asText("-")));
            }
            Output.table(out(), List.of("TIME", "USER", "FROM", "CALL", "STATUS", "TASK"), rows);
            return ExitCodes.OK;
        }
    }
}
