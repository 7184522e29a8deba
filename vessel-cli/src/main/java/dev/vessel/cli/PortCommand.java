package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.PortRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "port",
        mixinStandardHelpOptions = true,
        description =
                "Publish ports of VMs and containers: connections to the host's port reach the instance's (from outside and from 127.0.0.1).",
        subcommands = {PortCommand.Add.class, PortCommand.Rm.class, PortCommand.Ls.class})
final class PortCommand {
    private PortCommand() {}

    static void table(PrintStream out, JsonNode forwards) {
        var rows = new ArrayList<List<String>>();
        for (JsonNode f : forwards) {
            rows.add(List.of(
                    (f.path("hostIp").isTextual() ? f.path("hostIp").asText() : "*") + ":"
                            + f.path("hostPort").asText(),
                    f.path("protocol").asText(),
                    f.path("targetInstance").asText(),
                    f.path("targetPort").asText()));
        }
        Output.table(out, List.of("HOST", "PROTO", "INSTANCE", "PORT"), rows);
    }

    static String describe(JsonNode f) {
        return (f.path("hostIp").isTextual() ? f.path("hostIp").asText() + ":" : "")
                + f.path("hostPort").asText() + "/" + f.path("protocol").asText() + " -> "
                + f.path("targetInstance").asText() + ":" + f.path("targetPort").asText();
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Publish a port of an instance.",
                "  vessel port add web 8080:80",
                "  vessel port add web 127.0.0.1:8443:443/tcp",
                "  vessel port add dns 5353:53/udp"
            })
    static final class Add extends ApiCommand {
        @Parameters(index = "0", paramLabel = "INSTANCE")
        String instance;

        @Parameters(
                index = "1",
                paramLabel = "[HOST_IP:]HOST_PORT:PORT[/PROTO]",
                description = "PROTO is tcp (default) or udp.")
        String port;

        @Override
        public Integer call() {
            JsonNode f = api().send("/api/v1/ports", new PortRequest(instance, port));
            if (json()) {
                Output.json(out(), f);
            } else {
                out().println(describe(f));
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = {"Stop publishing a port.", "  vessel port rm 8080", "  vessel port rm 127.0.0.1:8443/tcp"})
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", paramLabel = "[HOST_IP:]HOST_PORT[/PROTO]")
        String port;

        @Override
        public Integer call() {
            String p = port;
            String proto = "tcp";
            int slash = p.lastIndexOf('/');
            if (slash >= 0) {
                proto = p.substring(slash + 1);
                p = p.substring(0, slash);
            }
            String hostIp = null;
            int colon = p.lastIndexOf(':');
            if (colon >= 0) {
                hostIp = p.substring(0, colon);
                p = p.substring(colon + 1);
            }
            api().delete("/api/v1/ports/" + Api.enc(p) + "?protocol=" + Api.enc(proto)
                    + (hostIp == null ? "" : "&hostIp=" + Api.enc(hostIp)));
            out().println(port);
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List published ports.")
    static final class Ls extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/ports");
            if (json()) {
                Output.json(out(), list);
            } else {
                table(out(), list);
            }
            return ExitCodes.OK;
        }
    }
}
