package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vessel ps}: every instance of both kinds, with state and memory. */
@Command(name = "ps", mixinStandardHelpOptions = true, description = "List VMs and containers.")
class PsCommand extends ApiCommand {
    @Option(names = {"-a", "--all"}, description = "Also stopped instances (default: all are shown; kept for docker habits).")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only names.")
    boolean quiet;

    String path() {
        return "/api/v1/instances";
    }

    @Override
    public Integer call() {
        JsonNode list = api().get(path());
        if (json()) {
            Output.json(out(), list);
            return ExitCodes.OK;
        }
        if (quiet) {
            list.forEach(i -> out().println(i.path("name").asText()));
            return ExitCodes.OK;
        }
        var rows = new ArrayList<List<String>>();
        for (JsonNode i : list) {
            JsonNode mem = i.path("memory");
            // A container without a limit has nothing configured: show the limit only when there is one.
            String memory = mem.path("configured").asLong(-1) == 0 && "container".equals(i.path("kind").asText())
                    ? "no limit" : Output.bytes(mem.path("configured").asLong(-1));
            if (mem.path("processRss").asLong(-1) >= 0) {
                memory += " (rss " + Output.bytes(mem.path("processRss").asLong()) + ", cg " + Output.bytes(mem.path("cgroupUsage").asLong()) + ")";
            }
            rows.add(List.of(
                    i.path("name").asText(),
                    i.path("kind").asText(),
                    States.brief(i),
                    Output.text(i.path("image")),
                    Output.text(i.path("runtime").path("accel")),
                    memory,
                    NetworkOptions.addresses(i),
                    i.path("id").asText()));
        }
        Output.table(out(), List.of("NAME", "KIND", "STATE", "IMAGE", "ACCEL", "MEMORY", "ADDRESS", "ID"), rows);
        return ExitCodes.OK;
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List VMs.")
    static final class VmLs extends PsCommand {
        @Override
        String path() {
            return "/api/v1/vms";
        }
    }
}
