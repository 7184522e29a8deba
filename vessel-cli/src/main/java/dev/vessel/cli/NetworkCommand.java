package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.NetworkCreateRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "network",
        mixinStandardHelpOptions = true,
        description =
                "Manage networks: a bridge with DHCP and DNS (dnsmasq), NAT and isolation (nftables), that VMs and containers join.",
        subcommands = {
            NetworkCommand.Create.class,
            NetworkCommand.Ls.class,
            NetworkCommand.Inspect.class,
            NetworkCommand.Rm.class
        })
final class NetworkCommand {
    private NetworkCommand() {}

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create a network.",
                "  vessel network create lab --subnet 10.89.0.0/24",
                "  vessel network create backend --subnet 10.90.0.0/24 --isolated",
                "  vessel network create db --subnet 10.91.0.0/24 --no-nat --peer lab"
            })
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = "--subnet",
                required = true,
                paramLabel = "CIDR",
                description = "IPv4 subnet, /8 to /30, e.g. 10.89.0.0/24.")
        String subnet;

        @Option(
                names = "--gateway",
                paramLabel = "IP",
                description = "The host's address on the network (default: the first address).")
        String gateway;

        @ArgGroup(exclusive = true)
        Nat nat;

        static final class Nat {
            @Option(
                    names = "--nat",
                    description = "Masquerade traffic leaving the host (the default, unless --isolated).")
            boolean on;

            @Option(names = "--no-nat", description = "Route only: no masquerade.")
            boolean off;
        }

        @Option(names = "--isolated", description = "No traffic beyond the network itself (and its published ports).")
        boolean isolated;

        @Option(
                names = "--peer",
                paramLabel = "NETWORK",
                description =
                        "A network this one may talk to (networks are isolated from each other otherwise); repeatable.")
        List<String> peers = new ArrayList<>();

        @Override
        public Integer call() {
            var body = new NetworkCreateRequest(
                    name,
                    subnet,
                    gateway,
                    nat == null ? null : nat.on,
                    isolated,
                    peers.isEmpty() ? null : List.copyOf(peers));
            JsonNode n = api().send("/api/v1/networks", body);
            if (json()) {
                Output.json(out(), n);
            } else {
                out().println(n.path("name").asText() + " " + n.path("subnet").asText() + " gateway "
                        + n.path("gateway").asText() + (n.path("nat").asBoolean() ? ", NAT" : "")
                        + (n.path("isolated").asBoolean() ? ", isolated" : ""));
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description = "List the networks of --project's network project (its own, or the default project's).")
    static final class Ls extends ApiCommand {
        @Option(
                names = "--all-projects",
                description = "Networks of every project (with a PROJECT column), not only of --project's.")
        boolean allProjects;

        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/networks" + (allProjects ? "?all-projects=true" : ""));
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode n : list) {
                var mode = new ArrayList<String>();
                if (n.path("nat").asBoolean()) {
                    mode.add("nat");
                }
                if (n.path("isolated").asBoolean()) {
                    mode.add("isolated");
                }
                n.path("peers").forEach(p -> mode.add("peer:" + p.asText()));
                var users = new ArrayList<String>();
                n.path("instances").forEach(i -> users.add(i.asText()));
                var row = new ArrayList<String>();
                if (allProjects) {
                    row.add(n.path("project").asText("default"));
                }
                row.addAll(List.of(
                        n.path("name").asText(),
                        n.path("subnet").asText(),
                        n.path("gateway").asText(),
                        mode.isEmpty() ? "-" : String.join(",", mode),
                        n.path("bridge").asText(),
                        users.isEmpty() ? "-" : String.join(",", users)));
                rows.add(row);
            }
            var headers = new ArrayList<String>();
            if (allProjects) {
                headers.add("PROJECT");
            }
            headers.addAll(List.of("NAME", "SUBNET", "GATEWAY", "MODE", "BRIDGE", "INSTANCES"));
            Output.table(out(), headers, rows);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = "Show a network: bridge, dnsmasq, leases and published ports.")
    static final class Inspect extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            JsonNode n = api().get("/api/v1/networks/" + Api.enc(name));
            if (json()) {
                Output.json(out(), n);
                return ExitCodes.OK;
            }
            JsonNode s = n.path("spec");
            out().printf("%-10s %s%n", "Name:", s.path("name").asText());
            out().printf(
                            "%-10s %s, gateway %s%s%s%n",
                            "Subnet:",
                            s.path("subnet").asText(),
                            s.path("gateway").asText(),
                            s.path("nat").asBoolean() ? ", NAT" : "",
                            s.path("isolated").asBoolean() ? ", isolated" : "");
            out().printf(
                            "%-10s %s%s%n",
                            "Bridge:",
                            n.path("bridge").asText(),
                            n.path("bridgePresent").asBoolean() ? "" : " (missing)");
            out().printf(
                            "%-10s %s%n",
                            "dnsmasq:",
                            n.path("dnsmasqPid").isNull()
                                    ? "not running"
                                    : "pid " + n.path("dnsmasqPid").asText());
            var rows = new ArrayList<List<String>>();
            for (JsonNode l : n.path("leases")) {
                rows.add(List.of(
                        l.path("hostname").asText(),
                        l.path("address").asText(),
                        l.path("mac").asText(),
                        "nic" + l.path("owner").path("nic").asText()));
            }
            if (!rows.isEmpty()) {
                out().println();
                Output.table(out(), List.of("INSTANCE", "ADDRESS", "MAC", "NIC"), rows);
            }
            if (n.path("forwards").size() > 0) {
                out().println();
                PortCommand.table(out(), n.path("forwards"));
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Remove networks no instance uses (an error names those that do).")
    static final class Rm extends ApiCommand {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            int rc = ExitCodes.OK;
            for (String n : names) {
                try {
                    api().delete("/api/v1/networks/" + Api.enc(n));
                    out().println(n);
                } catch (CliError e) {
                    err().println("vessel: " + e.getMessage());
                    rc = e.exitCode();
                }
            }
            return rc;
        }
    }
}
