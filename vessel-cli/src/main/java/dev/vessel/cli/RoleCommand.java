package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.access.AccessModel;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vessel role}: built-in and custom roles. */
@Command(
        name = "role",
        mixinStandardHelpOptions = true,
        description = "List roles (Administrator, Operator, Auditor, NoAccess are built in) and manage custom ones.",
        subcommands = {RoleCommand.Ls.class, RoleCommand.Add.class, RoleCommand.Rm.class})
final class RoleCommand {
    private RoleCommand() {}

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
