package dev.vessel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the client's and the daemon's versions.")
final class VersionCommand extends ApiCommand {
    static final String VERSION = "0.1.0";

    @Override
    public Integer call() {
        out().println("client: " + VERSION);
        try {
            out().println("daemon: " + api().get("/api/v1/version").path("version").asText());
        } catch (CliError e) {
            out().println("daemon: unreachable (" + e.getMessage() + ")");
            return e.exitCode();
        }
        return ExitCodes.OK;
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vessel " + VERSION};
        }
    }
}
