package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.http.ApiClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = "Print lifecycle, task and other events; --follow streams them.")
final class EventsCommand extends ApiCommand {
    @Option(
            names = "--since",
            defaultValue = "0",
            paramLabel = "SEQ",
            description = "Resume after this sequence number.")
    long since;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep streaming new events.")
    boolean follow;

    @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "type=, name= or kind=; repeatable.")
    List<String> filters = List.of();

    @Option(
            names = "--all-projects",
            description = "Events of every project's instances and volumes, not only of --project's.")
    boolean allProjects;

    @Override
    public Integer call() {
        var path = new StringBuilder("/api/v1/events?since=" + since + (follow ? "&follow=true" : "")
                + (allProjects ? "&all-projects=true" : ""));
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq > 0 && List.of("type", "kind", "name").contains(f.substring(0, eq))) {
                path.append('&')
                        .append(f, 0, eq)
                        .append('=')
                        .append(Api.enc(f.substring(eq + 1))); // filtered by the daemon too
            }
        }
        if (!follow) {
            for (JsonNode e : api().get(path.toString())) {
                print(e);
            }
            return ExitCodes.OK;
        }
        ApiClient.Stream s;
        try {
            s = api().client().stream("GET", path.toString());
        } catch (VesselException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, e.getMessage());
        }
        try (s;
                var r = new BufferedReader(new InputStreamReader(s.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    print(Api.JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, "the event stream broke: " + e.getMessage());
        }
        return ExitCodes.OK;
    }

    private void print(JsonNode e) {
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq < 0) {
                throw new CliError(ExitCodes.USAGE, "--filter takes KEY=VALUE, not '" + f + "'");
            }
            // The daemon matched name= in the project already (the event names the key: web.dev).
            if (!f.startsWith("name=") && !e.path(f.substring(0, eq)).asText().equals(f.substring(eq + 1))) {
                return;
            }
        }
        if (json()) {
            out().println(e.toString());
        } else {
            out().println(e.path("seq").asText() + " " + e.path("at").asText() + " "
                    + e.path("type").asText() + " " + Output.text(e.path("kind")) + " " + Output.text(e.path("name"))
                    + " " + e.path("data"));
        }
    }
}
