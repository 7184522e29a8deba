package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.PoolCreateRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "pool",
        mixinStandardHelpOptions = true,
        description = "Manage storage pools (local is always there).",
        subcommands = {PoolCommand.Ls.class, PoolCommand.Create.class, PoolCommand.Rm.class})
final class PoolCommand {
    private PoolCommand() {}

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List pools and their space.")
    static final class Ls extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/pools");
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode p : list) {
                rows.add(List.of(
                        p.path("name").asText(),
                        p.path("driver").asText(),
                        p.path("location").asText(),
                        Output.bytes(p.path("availableBytes").asLong()),
                        Output.bytes(p.path("capacityBytes").asLong())));
            }
            Output.table(out(), List.of("NAME", "DRIVER", "LOCATION", "FREE", "SIZE"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Add a directory pool (on the same file system as the data dir: VMs reach volumes through hard links).")
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--path", required = true, paramLabel = "DIR")
        Path path;

        @Override
        public Integer call() {
            JsonNode p = api().send(
                            "/api/v1/pools",
                            new PoolCreateRequest(
                                    name,
                                    "dir",
                                    CliContext.current().absolute(path).toString()));
            if (json()) {
                Output.json(out(), p);
            } else {
                out().println(name + " " + p.path("location").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Forget an empty pool (its directory stays).")
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            api().delete("/api/v1/pools/" + Api.enc(name));
            out().println(name);
            return ExitCodes.OK;
        }
    }
}
