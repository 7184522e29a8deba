package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vessel container volume}: containers' named volumes, as {@code docker volume} shows them. */
@Command(
        name = "volume",
        mixinStandardHelpOptions = true,
        description = "Named volumes of containers (-v NAME:/path): list, inspect, remove, prune.",
        subcommands = {
            ContainerVolumeCommand.Ls.class,
            ContainerVolumeCommand.Inspect.class,
            ContainerVolumeCommand.Rm.class,
            ContainerVolumeCommand.Prune.class
        })
final class ContainerVolumeCommand {
    private ContainerVolumeCommand() {}

    static String path(String name) {
        return "/api/v1/container-volumes/" + Api.enc(name);
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description = "List named volumes with their size and users.")
    static final class Ls extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/container-volumes");
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode v : list) {
                var users = new ArrayList<String>();
                v.path("usedBy").forEach(u -> users.add(u.asText()));
                rows.add(List.of(
                        v.path("name").asText(),
                        Output.bytes(v.path("sizeBytes").asLong()),
                        users.isEmpty() ? "-" : String.join(",", users)));
            }
            Output.table(out(), List.of("NAME", "SIZE", "USED BY"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show a named volume.")
    static final class Inspect extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Output.json(out(), api().get(path(name)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a named volume no container mounts.")
    static final class Rm extends ApiCommand {
        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;

        @Override
        public Integer call() {
            for (String n : names) {
                api().delete(path(n));
                out().println(n);
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = "Remove every named volume no container mounts.")
    static final class Prune extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode r = api().post("/api/v1/container-volumes/prune", null);
            if (json()) {
                Output.json(out(), r);
            } else {
                r.path("removed").forEach(n -> out().println("Deleted " + n.asText()));
            }
            return ExitCodes.OK;
        }
    }
}
