package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "task",
        mixinStandardHelpOptions = true,
        description = "Long operations and their logs.",
        subcommands = {
            TaskCommand.Ls.class,
            TaskCommand.Show.class,
            TaskCommand.Log.class,
            TaskCommand.Wait.class,
            TaskCommand.Cancel.class
        })
final class TaskCommand {
    private TaskCommand() {}

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List recent tasks.")
    static final class Ls extends ApiCommand {
        @Option(
                names = {"-n", "--limit"},
                defaultValue = "20",
                paramLabel = "N")
        int limit;

        @Option(
                names = "--all-projects",
                description =
                        "Every project's tasks, with a PROJECT column (the tasks of the current project otherwise).")
        boolean allProjects;

        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/tasks?limit=" + limit + (allProjects ? "&all-projects=true" : ""));
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode t : list) {
                var row = new ArrayList<>(List.of(
                        t.path("id").asText(),
                        t.path("operation").asText(),
                        Output.text(t.path("target")),
                        t.path("state").asText(),
                        Math.round(t.path("progress").asDouble() * 100) + "%",
                        Output.text(t.path("user")),
                        Output.ago(t.path("createdAt").asText()) + " ago"));
                if (allProjects) {
                    row.add(1, Output.text(t.path("project")));
                }
                rows.add(row);
            }
            var header = new ArrayList<>(List.of("ID", "OPERATION", "TARGET", "STATE", "PROGRESS", "USER", "CREATED"));
            if (allProjects) {
                header.add(1, "PROJECT");
            }
            Output.table(out(), header, rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a task.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            Output.json(out(), api().get("/api/v1/tasks/" + Api.enc(id)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true, description = "Print a task's log.")
    static final class Log extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode lines = api().get("/api/v1/tasks/" + Api.enc(id) + "/log");
            if (json()) {
                Output.json(out(), lines);
            } else {
                lines.forEach(l -> out().println(
                                l.path("at").asText() + "  " + l.path("line").asText()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "wait",
            mixinStandardHelpOptions = true,
            description = "Wait for a task to end; the exit code says how it ended.")
    static final class Wait extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode t = TaskWaiter.await(api(), api().get("/api/v1/tasks/" + Api.enc(id)), err(), true);
            if (json()) {
                Output.json(out(), t);
            } else {
                out().println(id + " " + t.path("state").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a running task.")
    static final class Cancel extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            api().post("/api/v1/tasks/" + Api.enc(id) + "/cancel", null);
            out().println(id + " cancel requested");
            return ExitCodes.OK;
        }
    }
}
