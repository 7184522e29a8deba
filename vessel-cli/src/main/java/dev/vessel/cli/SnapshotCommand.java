package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.SnapshotRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description =
                "Snapshots of VMs (disks, optionally RAM) and containers (the writable layer): a tree, as in Proxmox; taken running or stopped.",
        subcommands = {
            SnapshotCommand.Create.class,
            SnapshotCommand.Ls.class,
            SnapshotCommand.Rollback.class,
            SnapshotCommand.Rm.class
        })
final class SnapshotCommand {
    private SnapshotCommand() {}

    static String path(String vm) {
        return "/api/v1/instances/" + Api.enc(vm) + "/snapshots";
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Take a snapshot. A running VM is paused for a moment, a running container frozen while its writable layer is copied (the pause is reported); --ram also saves a VM's memory.",
                "  vessel snapshot create web before-upgrade",
                "  vessel snapshot create web --ram"
            })
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "INSTANCE")
        String vm;

        @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Default snap-YYYYMMDD-HHMMSS.")
        String name;

        @Option(
                names = "--ram",
                description = "Also save RAM and device state (the VM must run); a rollback resumes it.")
        boolean ram;

        @Option(
                names = {"-d", "--description"},
                paramLabel = "TEXT")
        String description;

        @Override
        public Integer call() {
            var t = TaskWaiter.await(
                    api(), api().send(path(vm), new SnapshotRequest(name, ram, description)), err(), json());
            if (json()) {
                Output.json(out(), t);
            } else {
                out().println(t.path("message").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description =
                    "Show a VM's or container's snapshot tree; * marks where it is now; SIZE is a container snapshot's copy.")
    static final class Ls extends ApiCommand {
        @Parameters(index = "0", paramLabel = "INSTANCE")
        String vm;

        @Override
        public Integer call() {
            JsonNode tree = api().get(path(vm));
            if (json()) {
                Output.json(out(), tree);
                return ExitCodes.OK;
            }
            String current = tree.path("current").asText(null);
            Map<String, List<JsonNode>> children = new LinkedHashMap<>();
            for (JsonNode s : tree.path("snapshots")) {
                children.computeIfAbsent(
                                s.path("parent").isTextual() ? s.path("parent").asText() : "", k -> new ArrayList<>())
                        .add(s);
            }
            var rows = new ArrayList<List<String>>();
            walk(children, "", "", current, rows);
            Output.table(out(), List.of("NAME", "RAM", "TAKEN", "PAUSE", "SIZE", "CREATED", "DESCRIPTION"), rows);
            return ExitCodes.OK;
        }

        static void walk(
                Map<String, List<JsonNode>> children,
                String parent,
                String indent,
                String current,
                List<List<String>> rows) {
            var kids = children.getOrDefault(parent, List.of());
            for (int i = 0; i < kids.size(); i++) {
                JsonNode s = kids.get(i);
                boolean last = i == kids.size() - 1;
                String name = s.path("name").asText();
                String branch = parent.isEmpty() ? "" : (last ? "`- " : "|- ");
                rows.add(List.of(
                        indent + branch + name + (name.equals(current) ? " *" : ""),
                        s.path("ram").asBoolean() ? "yes" : "no",
                        s.path("live").asBoolean() ? "running" : "stopped",
                        s.path("live").asBoolean()
                                ? String.format(
                                        Locale.ROOT,
                                        "%.1fms",
                                        s.path("pauseMillis").asDouble())
                                : "-",
                        s.path("sizeBytes").isNumber()
                                ? Output.bytes(s.path("sizeBytes").asLong())
                                : "-",
                        Output.ago(s.path("createdAt").asText()) + " ago",
                        Output.text(s.path("description"))));
                walk(children, name, parent.isEmpty() ? indent : indent + (last ? "   " : "|  "), current, rows);
            }
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = {
                "Roll back to any snapshot of the tree. Disk-only snapshots need a stopped VM; one with RAM brings the VM back running. A container must be stopped; its image is never touched."
            })
    static final class Rollback extends ApiCommand {
        @Parameters(index = "0", paramLabel = "INSTANCE")
        String vm;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            var t = TaskWaiter.await(
                    api(), api().post(path(vm) + "/" + Api.enc(name) + "/rollback", null), err(), json());
            out().println(json() ? t.toString() : t.path("message").asText());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Remove a snapshot; its children keep their data and take its parent.")
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", paramLabel = "INSTANCE")
        String vm;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            var t = TaskWaiter.await(api(), api().delete(path(vm) + "/" + Api.enc(name)), err(), json());
            out().println(json() ? t.toString() : t.path("message").asText());
            return ExitCodes.OK;
        }
    }
}
