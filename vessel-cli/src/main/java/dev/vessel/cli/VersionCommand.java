package dev.vessel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        description = "Print the client's and the daemon's versions.")
final class VersionCommand extends ApiCommand {
    static final String VERSION = dev.vessel.model.Versions.VESSEL;

    @Override
    public Integer call() {
        com.fasterxml.jackson.databind.JsonNode daemon;
        try {
            daemon = api().get("/api/v1/version");
        } catch (CliError e) {
            if (json()) {
                err().println("vessel: " + e.getMessage());
            } else {
                out().println("client: " + VERSION);
                out().println("daemon: unreachable (" + e.getMessage() + ")");
            }
            return e.exitCode();
        }
        if (json()) {
            var o = dev.vessel.host.Json.MAPPER.createObjectNode();
            o.put("client", VERSION);
            o.set("daemon", daemon);
            out().println(dev.vessel.host.Json.pretty(o));
            return ExitCodes.OK;
        }
        out().println("client: " + VERSION);
        out().println("daemon: " + daemon.path("version").asText() + " (build "
                + daemon.path("build").asText("?") + ", pid "
                + daemon.path("pid").asText("?") + ")");
        return ExitCodes.OK;
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vessel " + VERSION};
        }
    }
}
