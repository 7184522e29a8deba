package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vessel audit}: the audit log. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Show the audit log: every call that changed something.",
            "  vessel audit --user alice --since 1h"
        })
final class AuditCommand extends ApiCommand {
    @Option(names = "--user", paramLabel = "USER")
    String user;

    @Option(names = "--since", paramLabel = "WHEN", description = "A duration back (1h, 7d) or an ISO-8601 time.")
    String since;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "100",
            description = "At most N entries, the newest (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        var q = new StringBuilder("/api/v1/audit?limit=" + limit);
        if (user != null) {
            q.append("&user=").append(Api.enc(user));
        }
        if (since != null) {
            Instant t;
            try {
                t = Instant.parse(since);
            } catch (DateTimeParseException e) {
                Instant ahead = TokenCommand.when(since);
                t = Instant.now().minus(Duration.between(Instant.now(), ahead));
            }
            q.append("&since=").append(Api.enc(t.toString()));
        }
        JsonNode list = api().get(q.toString());
        if (json()) {
            Output.json(out(), list);
            return ExitCodes.OK;
        }
        var rows = new ArrayList<List<String>>();
        for (JsonNode e : list) {
            rows.add(List.of(
                    e.path("time").asText(),
                    e.path("user").asText(),
                    e.path("source").asText(),
                    e.path("verb").asText() + " " + e.path("path").asText(),
                    e.path("status").asText(),
                    e.path("task").asText("-")));
        }
        Output.table(out(), List.of("TIME", "USER", "FROM", "CALL", "STATUS", "TASK"), rows);
        return ExitCodes.OK;
    }
}
