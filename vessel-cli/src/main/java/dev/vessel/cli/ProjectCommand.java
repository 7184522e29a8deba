package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.ProjectRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel project}: projects (namespaces for instances) and their quotas, as {@code incus project}. */
@Command(
        name = "project",
        mixinStandardHelpOptions = true,
        description = {
            "Projects hold instances and volumes (names unique in each), with quotas on instances, CPUs, memory, disk, networks.",
            "By its features a project has its own images (on at create) and networks (off at create), or the default one's.",
            "Work in one with the global --project NAME (or VESSEL_PROJECT)."
        },
        subcommands = {
            ProjectCommand.Ls.class,
            ProjectCommand.Create.class,
            ProjectCommand.Show.class,
            ProjectCommand.Set.class,
            ProjectCommand.Rm.class
        })
final class ProjectCommand {
    private ProjectCommand() {}

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List projects with their use and limits.")
    static final class Ls extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/projects");
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode p : list) {
                JsonNode u = p.path("usage");
                JsonNode l = p.path("limits");
                rows.add(List.of(
                        p.path("name").asText(),
                        u.path("instances").asText() + "/" + limit(l.path("instances"), false),
                        cpus(u.path("cpus").asDouble()) + "/" + limit(l.path("cpus"), false),
                        Output.bytes(u.path("memory").asLong()) + "/" + limit(l.path("memory"), true),
                        Output.bytes(u.path("disk").asLong()) + "/" + limit(l.path("disk"), true),
                        features(p.path("features")),
                        p.path("description").asText("")));
            }
            Output.table(out(), List.of("NAME", "INSTANCES", "CPUS", "MEMORY", "DISK", "OWN", "DESCRIPTION"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create a project.",
                "  vessel project create dev --limit instances=10 --limit cpus=8 --limit memory=16G --limit disk=200G",
                "  vessel project create lab --feature networks=true --limit networks=2"
            })
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(
                names = "--limit",
                paramLabel = "KEY=VALUE",
                description = "A quota: instances, cpus, memory, disk (sizes as 4G) or networks. Repeatable.")
        List<String> limits = List.of();

        @Option(
                names = "--feature",
                paramLabel = "KEY=true|false",
                description = {
                    "images: images of its own (default true); networks: networks of its own (default false).",
                    "Off, the project uses the default project's. Repeatable."
                })
        List<String> features = List.of();

        @Override
        public Integer call() {
            JsonNode p = api().send(
                            "/api/v1/projects", new ProjectRequest(name, description, pairs(limits), pairs(features)));
            return show(this, p);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a project's limits and use.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return show(this, api().get("/api/v1/projects/" + Api.enc(name)));
        }
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = {
                "Change a project's limits (an empty value removes one), features (only while it is empty) or description.",
                "  vessel project set dev memory=32G disk=",
                "  vessel project set lab --feature networks=true"
            })
    static final class Set extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", arity = "0..*")
        List<String> limits = List.of();

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(
                names = "--feature",
                paramLabel = "KEY=true|false",
                description = "images or networks of its own; refused unless the project is empty. Repeatable.")
        List<String> features = List.of();

        @Override
        public Integer call() {
            var body = dev.vessel.host.Json.MAPPER.valueToTree(
                    new ProjectRequest(null, description, pairs(limits), features.isEmpty() ? null : pairs(features)));
            return show(this, api().call("PATCH", "/api/v1/projects/" + Api.enc(name), body));
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove an empty project.")
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            api().delete("/api/v1/projects/" + Api.enc(name));
            out().println(name);
            return ExitCodes.OK;
        }
    }

    /** One project: its limits beside its use, one line each, as {@code incus project info}. */
    static int show(ApiCommand c, JsonNode p) {
        if (c.json()) {
            Output.json(c.out(), p);
            return ExitCodes.OK;
        }
        JsonNode u = p.path("usage");
        JsonNode l = p.path("limits");
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("instances", u.path("instances").asText(), limit(l.path("instances"), false)));
        rows.add(List.of("cpus", cpus(u.path("cpus").asDouble()), limit(l.path("cpus"), false)));
        rows.add(List.of("memory", Output.bytes(u.path("memory").asLong()), limit(l.path("memory"), true)));
        rows.add(List.of("disk", Output.bytes(u.path("disk").asLong()), limit(l.path("disk"), true)));
        rows.add(List.of("networks", u.path("networks").asText("0"), limit(l.path("networks"), false)));
        c.out().println("Project: " + p.path("name").asText());
        if (!p.path("description").asText("").isEmpty()) {
            c.out().println("Description: " + p.path("description").asText());
        }
        JsonNode f = p.path("features");
        c.out()
                .println("Features: images=" + f.path("images").asBoolean() + " networks="
                        + f.path("networks").asBoolean());
        Output.table(c.out(), List.of("RESOURCE", "USED", "LIMIT"), rows);
        return ExitCodes.OK;
    }

    /** What a project holds of its own, for a listing: {@code images,networks}, or {@code -}. */
    static String features(JsonNode f) {
        var own = new ArrayList<String>();
        if (f.path("images").asBoolean()) {
            own.add("images");
        }
        if (f.path("networks").asBoolean()) {
            own.add("networks");
        }
        return own.isEmpty() ? "-" : String.join(",", own);
    }

    static Map<String, String> pairs(List<String> items) {
        var out = new LinkedHashMap<String, String>();
        for (String s : items) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new CliError(ExitCodes.USAGE, "'" + s + "' is not KEY=VALUE (e.g. memory=4G)");
            }
            out.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return out;
    }

    private static String limit(JsonNode n, boolean bytes) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "-";
        }
        return bytes ? Output.bytes(n.asLong()) : n.isIntegralNumber() ? n.asText() : cpus(n.asDouble());
    }

    private static String cpus(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
