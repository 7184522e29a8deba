package dev.vessel.cli;

import dev.vessel.core.error.VesselException;
import dev.vessel.http.ApiClient;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Print a VM's serial console log or a container's output; -f follows it.")
final class LogsCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new output until the VM stops or Ctrl-C.")
    boolean follow;

    @Option(
            names = {"-n", "--tail"},
            paramLabel = "LINES",
            defaultValue = "-1",
            description = "Only the last LINES lines.")
    int tail;

    @Override
    public Integer call() {
        String path = "/api/v1/instances/" + Api.enc(name) + "/logs?tail=" + tail + (follow ? "&follow=true" : "");
        ApiClient.Stream s;
        try {
            s = api().client().stream("GET", path);
        } catch (VesselException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, e.getMessage());
        }
        try (s) {
            if (s.status() != 200) {
                throw Api.problem(s.status(), s.body().readAllBytes());
            }
            byte[] b = new byte[8192];
            int n;
            while ((n = s.body().read(b)) > 0) {
                out().write(b, 0, n);
                out().flush();
            }
        } catch (IOException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, "the log stream broke: " + e.getMessage());
        }
        return ExitCodes.OK;
    }
}
