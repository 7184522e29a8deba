package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel acl}: roles given on paths. */
@Command(
        name = "acl",
        mixinStandardHelpOptions = true,
        description = "Give roles on paths (/, /vms, /vms/NAME, /containers/NAME, /pools/NAME, /networks/NAME, ...).",
        subcommands = {AclCommand.Ls.class, AclCommand.Set.class, AclCommand.Rm.class})
final class AclCommand {
    private AclCommand() {}

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
