package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.http.ApiClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel stats}: docker stats for VMs and containers, with the guest's own memory view for VMs. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = {
            "Live CPU, memory, disk and network use of running VMs and containers, and the node's totals.",
            "For a VM, MEM is the guest's own view (balloon statistics) over the RAM it has; QEMU is the process's overhead beyond guest RAM.",
            "  vessel stats                 # refreshes every 2 s; Ctrl-C to stop",
            "  vessel stats web --no-stream",
            "  vessel stats web --history day -o json"
        })
final class StatsCommand extends ApiCommand {
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Only these instances.")
    List<String> names = List.of();

    @Option(names = "--no-stream", description = "Print one sample and exit.")
    boolean noStream;

    @Option(
            names = "--history",
            paramLabel = "RANGE",
            description = "Print NAME's history instead: hour, day, week or year.")
    String history;

    @Override
    public Integer call() {
        if (history != null) {
            return history();
        }
        var q = new StringBuilder("/api/v1/stats?");
        for (String n : names) {
            q.append("name=").append(Api.enc(n)).append('&');
        }
        if (noStream) {
            JsonNode node = api().get(q.toString());
            print(node, false);
            return ExitCodes.OK;
        }
        ApiClient.Stream s;
        try {
            s = api().client().stream("GET", q + "stream=true");
        } catch (VesselException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, e.getMessage());
        }
        boolean tty = Terminal.isTty() && !json();
        try (s;
                var r = new BufferedReader(new InputStreamReader(s.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    print(Api.JSON.readTree(line), tty);
                }
            }
        } catch (IOException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, "the stats stream broke: " + e.getMessage());
        }
        return ExitCodes.OK;
    }

    private void print(JsonNode node, boolean redraw) {
        if (json()) {
            out().println(node.toString());
            return;
        }
        if (redraw) {
            out().print("\033[H\033[2J"); // home and clear, as docker stats does
        }
        var rows = new ArrayList<List<String>>();
        for (JsonNode i : node.path("instances")) {
            JsonNode m = i.path("memory");
            boolean vm = "vm".equals(i.path("kind").asText());
            String mem;
            if (vm && m.path("guestUsed").asLong(-1) >= 0) {
                // what the guest's own free(1) shows: used (total - available) of the total it sees
                long total = m.path("guestTotal").asLong(-1);
                mem = Output.bytes(m.path("guestUsed").asLong()) + " / "
                        + Output.bytes(
                                total > 0
                                        ? total
                                        : m.path("balloon")
                                                .asLong(m.path("assigned").asLong()));
            } else if (vm) {
                mem = "? / "
                        + Output.bytes(
                                m.path("balloon").asLong(m.path("assigned").asLong()));
            } else {
                long limit = m.path("cgroupLimit").asLong(-1);
                mem = Output.bytes(m.path("cgroupUsage").asLong()) + " / "
                        + (limit <= 0 || limit > (1L << 60) ? "no limit" : Output.bytes(limit));
            }
            rows.add(List.of(
                    i.path("name").asText(),
                    i.path("kind").asText(),
                    String.format(Locale.ROOT, "%.1f%%", i.path("cpuPercent").asDouble()),
                    mem,
                    vm ? bytesOrDash(m.path("overhead").asLong(-1)) : "-",
                    bytesOrDash(m.path("cgroupUsage").asLong(-1)),
                    io(
                            i.path("disk").path("readBytes").asLong(-1),
                            i.path("disk").path("writeBytes").asLong(-1)),
                    io(
                            i.path("net").path("rxBytes").asLong(-1),
                            i.path("net").path("txBytes").asLong(-1))));
        }
        Output.table(
                out(), List.of("NAME", "KIND", "CPU", "MEM (GUEST)", "QEMU", "CGROUP", "DISK R/W", "NET RX/TX"), rows);
        out().println(String.format(
                Locale.ROOT,
                "node: %d CPUs at %.1f%%, memory %s available of %s, %s committed to %d running instance(s)%s",
                node.path("cpus").asInt(),
                node.path("cpuPercent").asDouble(),
                Output.bytes(node.path("memoryAvailable").asLong()),
                Output.bytes(node.path("memoryTotal").asLong()),
                Output.bytes(node.path("memoryCommitted").asLong()),
                node.path("running").asInt(),
                node.path("memoryPressure").asDouble(-1) >= 0
                        ? String.format(
                                Locale.ROOT,
                                ", memory pressure %.2f%%",
                                node.path("memoryPressure").asDouble())
                        : ""));
        out().flush();
    }

    private int history() {
        if (names.size() != 1) {
            throw new CliError(ExitCodes.USAGE, "--history takes exactly one NAME");
        }
        JsonNode series =
                api().get("/api/v1/instances/" + Api.enc(names.getFirst()) + "/history?range=" + Api.enc(history));
        if (json()) {
            Output.json(out(), series);
            return ExitCodes.OK;
        }
        var rows = new ArrayList<List<String>>();
        for (JsonNode p : series.path("points")) {
            rows.add(List.of(
                    java.time.Instant.ofEpochSecond(p.path("start").asLong()).toString(),
                    String.format(Locale.ROOT, "%.1f%%", p.path("cpu").asDouble()),
                    String.format(Locale.ROOT, "%.1f%%", p.path("cpuMax").asDouble()),
                    Output.bytes((long) p.path("memory").asDouble()),
                    Output.bytes((long) p.path("guestUsed").asDouble()),
                    rate(p.path("diskRead").asDouble()) + " / "
                            + rate(p.path("diskWrite").asDouble()),
                    rate(p.path("netRx").asDouble()) + " / "
                            + rate(p.path("netTx").asDouble())));
        }
        Output.table(out(), List.of("TIME", "CPU", "CPU MAX", "MEMORY", "GUEST USED", "DISK R/W", "NET RX/TX"), rows);
        return ExitCodes.OK;
    }

    private static String bytesOrDash(long b) {
        return b < 0 ? "-" : Output.bytes(b);
    }

    private static String io(long a, long b) {
        return bytesOrDash(a) + " / " + bytesOrDash(b);
    }

    private static String rate(double bytesPerSecond) {
        return Output.bytes((long) bytesPerSecond) + "/s";
    }
}
