package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.NicRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "nic",
        mixinStandardHelpOptions = true,
        description =
                "A VM's NICs: added and removed live (netdev_add/device_add) while it runs, kept for its next start.",
        subcommands = {NicCommand.Add.class, NicCommand.Rm.class, NicCommand.Ls.class})
final class NicCommand {
    private NicCommand() {}

    static String describe(JsonNode n) {
        return "nic" + n.path("index").asText() + " " + n.path("network").asText() + " " + Output.text(n.path("ip"))
                + " " + Output.text(n.path("mac"));
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Add a NIC on a network.",
                "  vessel vm nic add web --network lab",
                "  vessel vm nic add web --network lab --ip 10.89.0.10"
            })
    static final class Add extends ApiCommand {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Option(names = "--network", required = true, paramLabel = "NETWORK")
        String network;

        @Option(
                names = "--ip",
                paramLabel = "IP",
                description = "A static address in the network (default: the next free one).")
        String ip;

        @Override
        public Integer call() {
            JsonNode n = api().send("/api/v1/instances/" + Api.enc(vm) + "/nics", new NicRequest(network, ip));
            if (json()) {
                Output.json(out(), n);
            } else {
                out().println(describe(n));
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Remove a NIC (by its number from `vessel vm nic ls`); its address is released.")
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Parameters(index = "1", paramLabel = "NIC", description = "The NIC's number: 1 or nic1.")
        String nic;

        @Override
        public Integer call() {
            api().delete("/api/v1/instances/" + Api.enc(vm) + "/nics/"
                    + Api.enc(nic.startsWith("nic") ? nic.substring(3) : nic));
            out().println(nic);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description = "List a VM's NICs with their addresses and MACs.")
    static final class Ls extends ApiCommand {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/instances/" + Api.enc(vm) + "/nics");
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode n : list) {
                rows.add(List.of(
                        "nic" + n.path("index").asText(),
                        n.path("network").asText(),
                        Output.text(n.path("ip")),
                        Output.text(n.path("mac"))));
            }
            Output.table(out(), List.of("NIC", "NETWORK", "ADDRESS", "MAC"), rows);
            return ExitCodes.OK;
        }
    }
}
