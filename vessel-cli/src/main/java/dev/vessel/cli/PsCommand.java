package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.InstanceView;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vessel ps}: every instance of both kinds, with state and memory. */
@Command(name = "ps", mixinStandardHelpOptions = true, description = "List VMs and containers.")
class PsCommand extends ApiCommand {
    @Option(
            names = {"-a", "--all"},
            description = "Also stopped instances (default: all are shown; kept for docker habits).")
    boolean all;

    @Option(
            names = {"-q", "--quiet"},
            description = "Only names.")
    boolean quiet;

    @Option(
            names = "--all-projects",
            description = "Instances of every project (with a PROJECT column), not only of --project's.")
    boolean allProjects;

    String path() {
        return "/api/v1/instances";
    }

    @Override
    public Integer call() {
        JsonNode list = api().get(path() + (allProjects ? "?all-projects=true" : ""));
        if (json()) {
            Output.json(out(), list);
            return ExitCodes.OK;
        }
        if (quiet) {
            list.forEach(i -> out().println(i.path("name").asText()));
            return ExitCodes.OK;
        }
        var rows = new ArrayList<List<String>>();
        for (InstanceView i : Api.readList(list, InstanceView.class)) {
            InstanceView.Memory mem = i.memory();
            // A container without a limit has nothing configured: show the limit only when there is one.
            String memory =
                    mem.configured() == 0 && "container".equals(i.kind()) ? "no limit" : Output.bytes(mem.configured());
            if (mem.processRss() >= 0) {
                memory += " (rss " + Output.bytes(mem.processRss()) + ", cg " + Output.bytes(mem.cgroupUsage()) + ")";
            }
            var row = new ArrayList<String>();
            if (allProjects) {
                row.add(i.project() == null ? "default" : i.project());
            }
            row.addAll(List.of(
                    i.name(),
                    i.kind(),
                    States.brief(i),
                    i.image() == null ? "-" : i.image(),
                    i.runtime() == null || i.runtime().accel() == null
                            ? "-"
                            : i.runtime().accel(),
                    memory,
                    NetworkOptions.addresses(i),
                    i.id()));
            rows.add(row);
        }
        var headers = new ArrayList<String>();
        if (allProjects) {
            headers.add("PROJECT");
        }
        headers.addAll(List.of("NAME", "KIND", "STATE", "IMAGE", "ACCEL", "MEMORY", "ADDRESS", "ID"));
        Output.table(out(), headers, rows);
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
